"""Event endpoints: the list (keyset pages, exports), the grouped timeline, detail, and writes.

Reads start from `Event.objects.public()`; curators (who may view events) can add an explicit
`?status=` to see drafts. Writes start from all events, need model permissions, and change the
status only through the publishing services.
"""

import re

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from events import revisions, rows, services
from events.api.browsable import BrowsableAPIRenderer
from events.api.caching import ConditionalReadMixin, VersionedWriteMixin
from events.api.event_detail import event_detail_data
from events.api.event_serializers import (
    CitationSerializer,
    EventWriteSerializer,
    ParticipationSerializer,
    RetractSerializer,
)
from events.api.grouping import GROUP_BY_CHOICES, group_rows
from events.api.openapi import (
    DETAIL_READ_ERRORS,
    NOT_MODIFIED,
    READ_ERRORS,
    WRITE_ERRORS,
    error_responses,
    pending_review,
    shape,
)
from events.api.pagination import KeysetPagination
from events.api.renderers import (
    AtomRenderer,
    CSVRenderer,
    FormatNegotiationMixin,
    ICalendarRenderer,
    JSONLDRenderer,
    ORJSONRenderer,
    TimelineJSRenderer,
)
from events.api.resources import ResourceViewSet
from events.api.review_views import ReviewedWriteMixin
from events.api.rows import event_url_prefix, rows_json
from events.api.shapes import EventDetail, EventHistory, EventRow, EventWritten, GroupedTimeline
from events.api.writing import can_see_unpublished, guard_deletion
from events.authorship import stamp_author
from events.choices import EventStatus
from events.detail import load_event_detail
from events.facets import aggregate_key, aggregates
from events.filtersets import EventFilterSet
from events.models import Citation, Event, Participation

SLUG = re.compile(r"[-a-zA-Z0-9_]+")
EXPORT_RENDERERS = [CSVRenderer, TimelineJSRenderer, ICalendarRenderer]
EXPORT_FORMATS = {renderer.format for renderer in EXPORT_RENDERERS} | {AtomRenderer.format}
# An event list offers these (JSON first); see event_list_response.
LIST_RENDERERS = [ORJSONRenderer, BrowsableAPIRenderer, *EXPORT_RENDERERS, AtomRenderer]
ATOM_ORDERING = ("-published_at", "-id")

STATUS_PARAMETER = OpenApiParameter(
    "status",
    OpenApiTypes.STR,
    description="Curators only (needs the view permission): comma-separated statuses to "
    "list instead of the public ones, e.g. `draft,in_review`.",
)
EVENT_DETAIL = shape(EventDetail)
EVENT_WRITTEN = shape(EventWritten)
FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv", "timelinejs", "ics", "atom"],
    description="Output format (or use Accept: text/csv, text/calendar, application/atom+xml). "
    "Exports default to pages of 500 and give the next page in the `Link` header.",
)

# What an event list answers, in each format it offers: the event list and an actor's events.
EVENT_LIST_RESPONSES = {
    (200, "application/json"): shape(EventRow),
    (200, "text/csv"): OpenApiTypes.STR,
    (200, TimelineJSRenderer.media_type): OpenApiTypes.OBJECT,
    (200, "text/calendar"): OpenApiTypes.STR,
    (200, "application/atom+xml"): OpenApiTypes.STR,
    **NOT_MODIFIED,
    **error_responses(*READ_ERRORS),
}


def visible_events(request):
    """Public events, or for curators who ask with `?status=`, events of those statuses."""
    raw = request.query_params.get("status")
    if not raw:
        return Event.objects.public()
    if not can_see_unpublished(request, "event"):
        raise ValidationError(
            {"status": ["Only curators may choose statuses; readers see published events."]}
        )
    wanted = [part.strip() for part in raw.split(",") if part.strip()]
    unknown = [part for part in wanted if part not in EventStatus.values]
    if unknown:
        raise ValidationError(
            {"status": [f"Unknown status {', '.join(unknown)}: use {', '.join(EventStatus)}."]}
        )
    return Event.objects.filter(status__in=wanted)


def filtered_events(request, events):
    """The filterset applied to `events`; 400 with messages per parameter."""
    filterset = EventFilterSet(request.query_params, queryset=events, request=request)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs, filterset.ordering_fields


def event_list_response(request, events) -> Response:
    """The event list of /api/v1/events/ and /api/v1/actors/{slug}/events/, from `events`.

    Filters, keyset page, rows, and for exports the next page in the `Link` header; the Atom
    feed lists the newest published first.
    """
    queryset, ordering = filtered_events(request, events)
    renderer_format = request.accepted_renderer.format
    if renderer_format == AtomRenderer.format:
        queryset, ordering = queryset.filter(published_at__isnull=False), ATOM_ORDERING
    paginator = KeysetPagination(page_size=export_page_size(request))
    page = paginator.paginate_rows(queryset, request, ordering, posts=False)  # row_json
    data = rows_json(page, event_url_prefix(request))
    response = Response(paginator.get_paginated_data(data))
    link = paginator.get_link_header()
    if link and renderer_format in EXPORT_FORMATS:
        response["Link"] = link
    return response


def export_page_size(request) -> int | None:
    """Exports default to the largest page; JSON to the paginator's default."""
    renderer = getattr(request, "accepted_renderer", None)
    return (
        KeysetPagination.max_page_size if renderer and renderer.format in EXPORT_FORMATS else None
    )


@extend_schema_view(
    list=extend_schema(
        summary="List events",
        parameters=[FORMAT_PARAMETER, STATUS_PARAMETER],
        responses=EVENT_LIST_RESPONSES,
    ),
    retrieve=extend_schema(
        summary="One event with everything about it",
        responses={
            (200, "application/json"): EVENT_DETAIL,
            (200, "application/ld+json"): OpenApiTypes.OBJECT,
            **NOT_MODIFIED,
            **error_responses(400, *DETAIL_READ_ERRORS),
        },
    ),
    create=extend_schema(
        summary="Create an event (as a draft)",
        request=EventWriteSerializer,
        responses={201: EVENT_WRITTEN, **error_responses(*WRITE_ERRORS)},
    ),
    update=extend_schema(
        request=EventWriteSerializer,
        responses={200: EVENT_WRITTEN, **pending_review(), **error_responses(*WRITE_ERRORS, 404)},
    ),
    partial_update=extend_schema(
        request=EventWriteSerializer,
        responses={200: EVENT_WRITTEN, **pending_review(), **error_responses(*WRITE_ERRORS, 404)},
    ),
    destroy=extend_schema(
        summary="Delete an unpublished event (published ones are retracted instead)",
        responses={204: None, **error_responses(*WRITE_ERRORS, 404)},
    ),
)
class EventViewSet(
    ReviewedWriteMixin, VersionedWriteMixin, FormatNegotiationMixin, ResourceViewSet
):
    """Events on the resource convention (events.api.resources), with what an event adds:
    its list also serves the exports and the Atom feed, reads find drafts only for curators
    who ask, and the publishing actions."""

    queryset = Event.objects.all()
    write_serializer_class = EventWriteSerializer  # reads answer shapes.EventDetail
    warns_of_duplicates = True
    filterset_class = EventFilterSet
    filter_backends = [DjangoFilterBackend]  # documents the filters; list() applies them
    lookup_field = "slug"
    # Any segment reaches the view, so a malformed slug is a JSON 404 like an unknown one.
    lookup_value_regex = r"[^/]+"

    def initial(self, request, *args, **kwargs):
        # Before the caching mixin looks the object up: NUL and the like never reach SQL.
        slug = kwargs.get("slug")
        if slug is not None and not SLUG.fullmatch(slug):
            raise NotFound(f"No event has the slug “{slug}”.")
        super().initial(request, *args, **kwargs)

    def get_renderers(self):
        if self.action == "list":
            return [renderer() for renderer in LIST_RENDERERS]
        renderer_classes = [ORJSONRenderer, BrowsableAPIRenderer]
        if self.action == "retrieve":
            renderer_classes.append(JSONLDRenderer)
        return [renderer() for renderer in renderer_classes]

    def get_queryset(self):
        if self.action == "retrieve" and not can_see_unpublished(self.request, "event"):
            return Event.objects.public()
        return Event.objects.all()

    def filter_queryset(self, queryset):
        return queryset  # list() filters through EventFilterSet; lookups by slug only

    def list(self, request, *args, **kwargs):
        # The list of an actor's events answers the same way (filters, exports, Atom).
        return event_list_response(request, visible_events(request))

    def retrieve(self, request, *args, **kwargs):
        # The detail loader finds the event itself: one query, no get_object() before it.
        slug = kwargs["slug"]
        detail = load_event_detail(self.get_queryset(), slug=slug)
        if detail is None:
            raise NotFound(f"No event has the slug “{slug}”, or it is not published.")
        return Response(event_detail_data(detail, request))

    def detail_data(self, obj, request):
        # Read back after a write: services and saves may have changed derived columns.
        return event_detail_data(load_event_detail(Event.objects.all(), pk=obj.pk), request)

    def perform_destroy(self, instance):
        guard_deletion(instance, self.request.user)  # published events are retracted instead
        super().perform_destroy(instance)

    @extend_schema(
        summary="Publish (editors; needs a supporting citation)",
        request=None,
        responses={200: EVENT_DETAIL, **error_responses(*WRITE_ERRORS, 404)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, slug=None):
        event = self.get_object()
        services.event_publish(event=event, user=request.user)
        return Response(self.detail_data(event, request))

    @extend_schema(
        summary="Take a published event back to draft (editors)",
        request=None,
        responses={200: EVENT_DETAIL, **error_responses(*WRITE_ERRORS, 404)},
    )
    @action(detail=True, methods=["post"])
    def unpublish(self, request, slug=None):
        event = self.get_object()
        services.event_unpublish(event=event, user=request.user)
        return Response(self.detail_data(event, request))

    @extend_schema(
        summary="Retract a published event with a reason readers will see (editors)",
        request=RetractSerializer,
        responses={200: EVENT_DETAIL, **error_responses(*WRITE_ERRORS, 404)},
    )
    @action(detail=True, methods=["post"])
    def retract(self, request, slug=None):
        event = self.get_object()
        serializer = RetractSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.event_retract(event=event, user=request.user, reason=serializer.data["reason"])
        return Response(self.detail_data(event, request))

    @extend_schema(
        summary="The event's revisions, newest first (curators and editors)",
        description="Each revision is one save of the event with its parts (participants, "
        "citations, vote record and country votes, aid measures, relations): who, when, the "
        "reason, and what changed, field by field. Readers get 401 or 403: drafts and their "
        "history are not theirs to see.",
        responses={200: shape(EventHistory), **error_responses(400, 401, 403, 404, 429)},
    )
    @action(detail=True, methods=["get"])
    def history(self, request, slug=None):
        if not request.user.is_authenticated:
            raise NotAuthenticated("Log in as a curator or an editor to read the history.")
        if not can_see_unpublished(request, "event"):
            raise PermissionDenied("Only curators and editors may read the history.")
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise NotFound(f"No event has the slug “{slug}”.")
        entries = revisions.history(event)
        return Response({"slug": event.slug, "results": [e.to_dict() for e in entries]})


@extend_schema(
    summary="Events grouped by period, with facets and the covered range",
    parameters=[
        OpenApiParameter(
            "group_by", OpenApiTypes.STR, enum=list(GROUP_BY_CHOICES), description="Default month."
        ),
        OpenApiParameter(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": 2000},
            description="At most this many events are listed (default 500, at most 2000); "
            "counts stay complete and `truncated` says when events were left out.",
        ),
        OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv", "timelinejs", "ics"]),
        STATUS_PARAMETER,
    ],
    responses={
        (200, "application/json"): shape(GroupedTimeline),
        (200, "text/csv"): OpenApiTypes.STR,
        (200, TimelineJSRenderer.media_type): OpenApiTypes.OBJECT,
        (200, "text/calendar"): OpenApiTypes.STR,
        **NOT_MODIFIED,
        **error_responses(*READ_ERRORS),
    },
)
class GroupedTimelineView(ConditionalReadMixin, FormatNegotiationMixin, APIView):
    """The view an embed or a chart draws from: the filtered events, period by period."""

    renderer_classes = [ORJSONRenderer, BrowsableAPIRenderer, *EXPORT_RENDERERS]
    filter_backends = [DjangoFilterBackend]
    filterset_class = EventFilterSet
    schema_documents_filters = True
    queryset = Event.objects.none()  # for schema generation and model permissions only
    default_limit = 500
    max_limit = 2000

    def get_queryset(self):
        return Event.objects.public()

    def get(self, request):
        group_by = request.query_params.get("group_by") or "month"
        if group_by not in GROUP_BY_CHOICES:
            raise ValidationError(
                {"group_by": [f"Unknown group_by “{group_by}”: use {', '.join(GROUP_BY_CHOICES)}."]}
            )
        limit = self._limit(request)
        queryset, _ordering = filtered_events(request, visible_events(request))
        queryset = queryset.order_by("date_lower", "id")  # periods read chronologically
        summary = aggregates(queryset, group_by, self._aggregate_key(request, group_by))
        listed = rows.event_rows(queryset, limit + 1, posts=False)  # row_json has no posts
        return Response(
            {
                "group_by": group_by,
                "range": summary["range"],
                "facets": summary["facets"],
                "truncated": len(listed) > limit,
                "periods": group_rows(listed[:limit], summary, group_by, event_url_prefix(request)),
            }
        )

    def _limit(self, request) -> int:
        raw = request.query_params.get("limit")
        if raw in (None, ""):
            return self.default_limit
        try:
            limit = int(raw)
        except ValueError:
            limit = 0
        if not 1 <= limit <= self.max_limit:
            raise ValidationError({"limit": [f"Give a whole number from 1 to {self.max_limit}."]})
        return limit

    def _aggregate_key(self, request, group_by: str) -> str:
        """Aggregates depend on the data version and the filters, not on format or limit."""
        filters = (
            (key, value)
            for key, values in request.query_params.lists()
            if key not in ("format", "limit", "group_by")
            for value in values
        )
        return aggregate_key(self._change_stamp.token, group_by, filters)


class _EventPartViewSet(
    ReviewedWriteMixin,
    VersionedWriteMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Write endpoints for an event's parts; validation is the model's (as in the admin).
    Changes need the event's version (If-Match or `version`): a part is versioned with it."""

    renderer_classes = [ORJSONRenderer, BrowsableAPIRenderer]
    filter_backends: list = []
    lookup_value_regex = r"[^/]+"  # a malformed id is a JSON 404, not the site's HTML one

    def initial(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and not (pk.isascii() and pk.isdigit()):
            raise NotFound(f"No {self.serializer_class.Meta.model._meta.verbose_name} “{pk}”.")
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        return self.serializer_class.Meta.model.objects.select_related("event")

    def perform_destroy(self, instance):
        stamp_author(instance, self.request.user)
        instance.delete()


@extend_schema_view(
    create=extend_schema(
        responses={
            201: ParticipationSerializer,
            **pending_review(),
            **error_responses(*WRITE_ERRORS),
        }
    ),
    update=extend_schema(
        responses={
            200: ParticipationSerializer,
            **pending_review(),
            **error_responses(*WRITE_ERRORS, 404),
        }
    ),
    partial_update=extend_schema(
        responses={
            200: ParticipationSerializer,
            **pending_review(),
            **error_responses(*WRITE_ERRORS, 404),
        }
    ),
    destroy=extend_schema(
        responses={204: None, **pending_review(), **error_responses(*WRITE_ERRORS, 404)}
    ),
)
class ParticipationViewSet(_EventPartViewSet):
    """An actor's role in an event: `{"event": slug, "actor": slug, "role": …}`."""

    queryset = Participation.objects.all()
    serializer_class = ParticipationSerializer


@extend_schema_view(
    create=extend_schema(
        responses={201: CitationSerializer, **pending_review(), **error_responses(*WRITE_ERRORS)}
    ),
    update=extend_schema(
        responses={
            200: CitationSerializer,
            **pending_review(),
            **error_responses(*WRITE_ERRORS, 404),
        }
    ),
    partial_update=extend_schema(
        responses={
            200: CitationSerializer,
            **pending_review(),
            **error_responses(*WRITE_ERRORS, 404),
        }
    ),
    destroy=extend_schema(
        responses={204: None, **pending_review(), **error_responses(*WRITE_ERRORS, 404)}
    ),
)
class CitationViewSet(_EventPartViewSet):
    """A source cited for an event: `{"event": slug, "source": id, "quote": …}`."""

    queryset = Citation.objects.all()
    serializer_class = CitationSerializer

    def perform_destroy(self, instance):
        guard_deletion(instance, self.request.user)  # keeps a published event supported
        super().perform_destroy(instance)
