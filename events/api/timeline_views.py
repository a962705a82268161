"""/api/v1/timelines/: published timelines, curated (entries in order) or saved queries."""

from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response

from events import rows
from events.api.caching import ConditionalReadMixin, VersionedWriteMixin
from events.api.openapi import (
    DETAIL_READ_ERRORS,
    NOT_MODIFIED,
    READ_ERRORS,
    WRITE_ERRORS,
    error_responses,
)
from events.api.pagination import KeysetPagination
from events.api.rows import event_url_prefix, row_json
from events.api.timeline_serializers import (
    TimelineDetailSerializer,
    TimelineListSerializer,
    TimelineWriteSerializer,
)
from events.api.writing import can_see_unpublished
from events.choices import TimelineKind
from events.filtersets import timeline_events
from events.markdown import render_markdown
from events.models import Event, Timeline

# A detail lists at most this many entries; the rest are paged through events_url.
MAX_ENTRIES = 1000

TIMELINE_COLUMNS = ("id", "slug", "title", "kind", "status", "description", "updated_at")


def timeline_row(value: dict, prefix: str) -> dict:
    return {
        "slug": value["slug"],
        "url": f"{prefix}{value['slug']}/",
        "title": value["title"],
        "kind": value["kind"],
        "status": value["status"],
        "description": value["description"],
        "updated_at": value["updated_at"].isoformat(),
    }


def timeline_detail(timeline: Timeline, request) -> dict:
    """Everything about a timeline; the entries' events are always public ones."""
    values = {column: getattr(timeline, column) for column in TIMELINE_COLUMNS}
    data = timeline_row(values, request.build_absolute_uri(reverse("timeline-list")))
    entries, truncated = _entries(timeline, request)
    query = None
    if timeline.kind == TimelineKind.SAVED_QUERY:
        query = {
            "actors": sorted(timeline.query_actors.values_list("slug", flat=True)),
            "types": sorted(timeline.query_types.values_list("slug", flat=True)),
            "from_date": timeline.query_from.isoformat() if timeline.query_from else None,
            "to_date": timeline.query_to.isoformat() if timeline.query_to else None,
        }
    events_url = request.build_absolute_uri(reverse("event-list"))
    data.update(
        {
            "description_html": str(render_markdown(timeline.description)),
            "query": query,
            "entries": entries,
            "entries_truncated": truncated,
            "events_url": f"{events_url}?{urlencode({'timeline': timeline.slug})}",
            "version": timeline.version,
            "created_at": timeline.created_at.isoformat(),
        }
    )
    return data


def _entries(timeline: Timeline, request) -> tuple[list[dict], bool]:
    public = Event.objects.public()
    if timeline.kind == TimelineKind.CURATED:
        events = (
            public.filter(timeline_entries__timeline=timeline)
            .annotate(
                entry_position=F("timeline_entries__position"),
                entry_caption=F("timeline_entries__caption"),
            )
            .order_by("entry_position", "timeline_entries__id")
        )
        extra = ("entry_position", "entry_caption")
    else:
        events = timeline_events(timeline, public).order_by("date_lower", "id")
        extra = ()
    events, columns = rows.project(events)
    values = list(events.values(*columns, *extra)[: MAX_ENTRIES + 1])
    truncated = len(values) > MAX_ENTRIES
    values = values[:MAX_ENTRIES]
    prefix = event_url_prefix(request)
    return [
        {
            "position": value.get("entry_position", index),
            "caption": value.get("entry_caption", ""),
            "event": row_json(row, prefix),
        }
        for index, (value, row) in enumerate(zip(values, rows.build(values), strict=True))
    ], truncated


@extend_schema_view(
    list=extend_schema(
        summary="List timelines",
        description="Published timelines (curators also see drafts), by title.",
        responses={
            200: TimelineListSerializer(many=True),
            **NOT_MODIFIED,
            **error_responses(*READ_ERRORS),
        },
    ),
    retrieve=extend_schema(
        summary="One timeline with its entries in order",
        description=f"Curated entries by position, or a saved query's events by date; at most "
        f"{MAX_ENTRIES} (page through `events_url` for more). Drafts are 404 for readers.",
        responses={
            200: TimelineDetailSerializer,
            **NOT_MODIFIED,
            **error_responses(*DETAIL_READ_ERRORS),
        },
    ),
    create=extend_schema(
        summary="Create a timeline",
        responses={201: TimelineDetailSerializer, **error_responses(400, 401, 403, 409)},
    ),
    update=extend_schema(
        summary="Replace a timeline",
        responses={200: TimelineDetailSerializer, **error_responses(*WRITE_ERRORS, 404)},
    ),
    partial_update=extend_schema(
        summary="Change a timeline",
        responses={200: TimelineDetailSerializer, **error_responses(*WRITE_ERRORS, 404)},
    ),
    destroy=extend_schema(
        summary="Delete a timeline (and its entries)",
        responses={204: None, **error_responses(400, 401, 403, 404, 412, 428)},
    ),
)
class TimelineViewSet(VersionedWriteMixin, ConditionalReadMixin, viewsets.ModelViewSet):
    queryset = Timeline.objects.all()
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    pagination_class = KeysetPagination
    ordering = ("title", "id")

    def get_queryset(self):
        writing = self.request.method not in ("GET", "HEAD", "OPTIONS")
        if writing or can_see_unpublished(self.request, "timeline"):
            return Timeline.objects.all()
        return Timeline.objects.published()

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return TimelineWriteSerializer
        return TimelineDetailSerializer if self.action == "retrieve" else TimelineListSerializer

    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        values = self.paginator.paginate_values(queryset, request, self.ordering, TIMELINE_COLUMNS)
        prefix = request.build_absolute_uri(reverse("timeline-list"))
        return self.paginator.get_paginated_response([timeline_row(v, prefix) for v in values])

    def retrieve(self, request, *args, **kwargs):
        return Response(timeline_detail(self.get_object(), request))
