"""/api/v1/actors/: who acts, their posts over time, and each actor's public timeline."""

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound

from events.api.actor_serializers import (
    ActorDetailSerializer,
    ActorListSerializer,
    ActorWriteSerializer,
)
from events.api.caching import ConditionalReadMixin, VersionedWriteMixin
from events.api.event_serializers import EventRowSerializer
from events.api.event_views import (
    FORMAT_PARAMETER,
    LIST_RENDERERS,
    event_list_response,
    visible_events,
)
from events.api.openapi import (
    DETAIL_READ_ERRORS,
    NOT_MODIFIED,
    READ_ERRORS,
    WRITE_ERRORS,
    error_responses,
)
from events.api.pagination import KeysetPagination
from events.api.renderers import FormatNegotiationMixin
from events.api.resource_filters import ActorFilterSet
from events.filtersets import EventFilterSet
from events.models import Actor, Event, Role

ACTOR_COLUMNS = (
    "id",
    "slug",
    "name",
    "short_name",
    "kind",
    "iso3",
    "wikidata_id",
    "aliases",
    "parent__slug",
)


def actor_rows(values: list[dict], url_prefix: str) -> list[dict]:
    """The list form of ActorListSerializer, built from a projection (no serializer per row)."""
    return [
        {
            "slug": value["slug"],
            "name": value["name"],
            "short_name": value["short_name"],
            "kind": value["kind"],
            "iso3": value["iso3"],
            "url": f"{url_prefix}{value['slug']}/",
            "aliases": [line.strip() for line in value["aliases"].splitlines() if line.strip()],
            "wikidata_id": value["wikidata_id"],
            "parent": value["parent__slug"],
        }
        for value in values
    ]


class ActorLookup:
    """Actors by slug, or states by ISO 3166 alpha-3 code in any case (/actors/USA/)."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"  # slugs and ISO codes

    def get_object(self):
        value = self.kwargs["slug"]
        actor = self.actor_queryset().by_reference(value).first()
        if actor is None:
            raise NotFound(f"No actor has the slug or ISO 3166 code “{value}”.")
        self.check_object_permissions(self.request, actor)
        return actor

    def version_for_etag(self):
        if "slug" not in self.kwargs:
            return None
        return (
            Actor.objects.by_reference(self.kwargs["slug"])
            .values_list("version", flat=True)
            .first()
        )


@extend_schema_view(
    list=extend_schema(
        summary="List actors",
        description="States, organisations and their organs, people … ordered by name.",
        responses={
            200: ActorListSerializer(many=True),
            **NOT_MODIFIED,
            **error_responses(*READ_ERRORS),
        },
    ),
    retrieve=extend_schema(
        summary="One actor, with posts over time",
        description="By slug, or for a state by its ISO 3166 alpha-3 code in any case.",
        responses={
            200: ActorDetailSerializer,
            **NOT_MODIFIED,
            **error_responses(*DETAIL_READ_ERRORS),
        },
    ),
    create=extend_schema(
        summary="Create an actor",
        responses={201: ActorDetailSerializer, **error_responses(400, 401, 403, 409)},
    ),
    update=extend_schema(
        summary="Replace an actor",
        responses={200: ActorDetailSerializer, **error_responses(*WRITE_ERRORS, 404)},
    ),
    partial_update=extend_schema(
        summary="Change an actor",
        responses={200: ActorDetailSerializer, **error_responses(*WRITE_ERRORS, 404)},
    ),
    destroy=extend_schema(
        summary="Delete an actor",
        description="Refused with 409, naming what uses it, while events, votes or posts do.",
        responses={204: None, **error_responses(400, 401, 403, 404, 409, 412, 428)},
    ),
)
class ActorViewSet(
    VersionedWriteMixin,
    ActorLookup,
    ConditionalReadMixin,
    FormatNegotiationMixin,
    viewsets.ModelViewSet,
):
    queryset = Actor.objects.all()
    schema_list_actions = ("events",)
    filterset_class = ActorFilterSet
    pagination_class = KeysetPagination
    ordering = ("name", "id")

    def get_renderers(self):
        if getattr(self, "action", None) == "events":
            return [renderer() for renderer in LIST_RENDERERS]
        return super().get_renderers()

    def get_queryset(self):
        if self.action == "events":
            return Event.objects.public()  # documents EventFilterSet; the actor comes first
        return Actor.objects.all()

    def actor_queryset(self):
        if self.action != "retrieve":
            return Actor.objects.all()
        return Actor.objects.select_related("parent").prefetch_related(
            "children",
            Prefetch("roles", queryset=Role.objects.select_related("organisation")),
            Prefetch(
                "posts",
                queryset=Role.objects.select_related("person").order_by("start_date", "id"),
            ),
        )

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return ActorWriteSerializer
        if self.action == "list":
            return ActorListSerializer
        return ActorDetailSerializer

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        paginator = self.paginator
        values = paginator.paginate_values(queryset, request, self.ordering, ACTOR_COLUMNS)
        url_prefix = request.build_absolute_uri(reverse("actor-list"))
        return paginator.get_paginated_response(actor_rows(values, url_prefix))

    @extend_schema(
        summary="An actor's public timeline",
        description="The events the actor takes part in, with the same filters, pages and "
        "formats as /api/v1/events/.",
        parameters=[FORMAT_PARAMETER],
        responses={
            (200, "application/json"): EventRowSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "text/calendar"): OpenApiTypes.STR,
            (200, "application/atom+xml"): OpenApiTypes.STR,
            **error_responses(400, 404, 429),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="events",
        filterset_class=EventFilterSet,
        queryset=Event.objects.none(),  # for the schema: this action lists events
    )
    def events(self, request, *args, **kwargs):
        """That actor's public timeline: the event list, with the same filters and formats."""
        actor = self.get_object()
        return event_list_response(request, visible_events(request).involving([actor.pk]))
