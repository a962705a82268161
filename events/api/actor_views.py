"""/api/v1/actors/: who acts, their posts over time, and each actor's public timeline."""

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound

from events.api.actor_serializers import (
    ActorDetailSerializer,
    ActorListSerializer,
    ActorWriteSerializer,
    ActorWrittenSerializer,
)
from events.api.caching import VersionedWriteMixin
from events.api.event_views import (
    EVENT_LIST_RESPONSES,
    FORMAT_PARAMETER,
    LIST_RENDERERS,
    event_list_response,
    visible_events,
)
from events.api.openapi import crud_schema, error_responses
from events.api.renderers import FormatNegotiationMixin
from events.api.resource_filters import ActorFilterSet
from events.api.resources import ResourceViewSet
from events.api.writing import can_see_unpublished, guard_deletion
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
    """Actors by slug, ISO 3166 alpha-3 code or Wikidata id, in any case (/actors/USA/)."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"  # slugs and ISO codes

    def get_object(self):
        value = self.kwargs["slug"]
        actor = self.actor_queryset().resolve(value).get(value)
        if actor is None:
            raise NotFound(f"No actor has the slug or ISO 3166 code “{value}”.")
        self.check_object_permissions(self.request, actor)
        return actor

    def version_for_etag(self):
        if "slug" not in self.kwargs:
            return None
        value = self.kwargs["slug"]
        actor = self.visible_actors().only("version", "slug", "iso3", "wikidata_id")
        found = actor.resolve(value).get(value)
        return found.version if found else None


@crud_schema(
    name="actor",
    plural="actors",
    row=ActorListSerializer(many=True),
    detail=ActorDetailSerializer,
    written=ActorWrittenSerializer,
    summaries={"retrieve": "One actor, with posts over time"},
    descriptions={
        "list": "States, organisations and their organs, people … ordered by name. Readers "
        "see the actors public events show; curators see every actor.",
        "retrieve": "By slug, by a state's ISO 3166 alpha-3 code or by Wikidata id, in any case.",
        "destroy": "Refused with 409, naming what uses it, while events, votes or posts do.",
    },
)
class ActorViewSet(VersionedWriteMixin, ActorLookup, FormatNegotiationMixin, ResourceViewSet):
    queryset = Actor.objects.all()
    write_serializer_class = ActorWriteSerializer
    warns_of_duplicates = True
    schema_list_actions = ("events",)
    filterset_class = ActorFilterSet
    list_columns = ACTOR_COLUMNS
    ordering = ("name", "id")

    def get_renderers(self):
        if getattr(self, "action", None) == "events":
            return [renderer() for renderer in LIST_RENDERERS]
        return super().get_renderers()

    def get_queryset(self):
        if self.action == "events":
            return Event.objects.public()  # documents EventFilterSet; the actor comes first
        return self.visible_actors()

    def visible_actors(self):
        """Readers see the public actors (ActorQuerySet.public, as on the pages); curators
        (who may view actors) and writes see every actor."""
        writing = self.request.method not in ("GET", "HEAD", "OPTIONS")
        if writing or can_see_unpublished(self.request, "actor"):
            return Actor.objects.all()
        return Actor.objects.public()

    def actor_queryset(self):
        actors = self.visible_actors()
        if self.action != "retrieve":
            return actors
        # What the detail links to is visible too: organs and post holders of the same kind.
        return actors.select_related("parent").prefetch_related(
            Prefetch("children", queryset=self.visible_actors()),
            Prefetch("roles", queryset=Role.objects.select_related("organisation")),
            Prefetch(
                "posts",
                queryset=Role.objects.filter(person__in=self.visible_actors())
                .select_related("person")
                .order_by("start_date", "id"),
            ),
        )

    def perform_destroy(self, instance):
        guard_deletion(instance, self.request.user)  # curators: only what they created
        super().perform_destroy(instance)

    def list_rows(self, values, request):
        return actor_rows(values, request.build_absolute_uri(reverse("actor-list")))

    def detail_data(self, obj, request):
        return ActorDetailSerializer(obj, context={"request": request}).data

    @extend_schema(
        summary="An actor's public timeline",
        description="The events the actor takes part in, with the same filters, pages and "
        "formats as /api/v1/events/.",
        parameters=[FORMAT_PARAMETER],
        responses={**EVENT_LIST_RESPONSES, **error_responses(404)},
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
