"""Timelines: the write form, with the curated entries. Reads: timeline_views, shapes.Timeline*."""

from rest_framework import serializers

from events import services
from events.api.actor_serializers import ActorRefField
from events.api.writing import SlugRefField, VersionedWriteSerializer
from events.choices import TimelineStatus
from events.models import Event, EventType, Timeline


class TimelineEntryWriteSerializer(serializers.Serializer):
    event = SlugRefField(slug_field="slug", queryset=Event.objects.all())
    position = serializers.IntegerField(
        min_value=0, required=False, help_text="Defaults to the entry's place in the list."
    )
    caption = serializers.CharField(max_length=300, required=False, allow_blank=True)


class TimelineWriteSerializer(VersionedWriteSerializer):
    """Create or change a timeline. `entries`, when given, replaces the curated entries."""

    query_actors = serializers.ListField(
        child=ActorRefField(), required=False, help_text="Saved query: actor slugs or ISO codes."
    )
    query_types = SlugRefField(
        slug_field="slug",
        queryset=EventType.objects.all(),
        many=True,
        required=False,
        help_text="Saved query: event type slugs (a parent type includes its subtypes).",
    )
    entries = TimelineEntryWriteSerializer(many=True, required=False)

    class Meta:
        model = Timeline
        fields = [
            "slug",
            "title",
            "description",
            "kind",
            "status",
            "query_actors",
            "query_types",
            "query_from",
            "query_to",
            "entries",
            "version",
        ]

    def validate(self, attrs):
        attrs.pop("version", None)  # checked against the object by VersionedWriteMixin
        current = self.instance.status if self.instance else TimelineStatus.DRAFT
        if attrs.get("status", current) != current:
            raise serializers.ValidationError(
                {
                    "status": "The status changes only through POST …/publish/ and "
                    "…/unpublish/ (editors): publishing is an editor's decision."
                }
            )
        return attrs

    def pop_related(self, validated_data):
        return {
            name: validated_data.pop(name)
            for name in ("query_actors", "query_types", "entries")
            if name in validated_data
        }

    def save_related(self, timeline: Timeline, related: dict) -> None:
        if "query_actors" in related:
            timeline.query_actors.set(related["query_actors"])
        if "query_types" in related:
            timeline.query_types.set(related["query_types"])
        if "entries" in related:
            services.timeline_entries_replace(
                timeline=timeline, entries=related["entries"], user=self.context["request"].user
            )
