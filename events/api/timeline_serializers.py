"""Timelines: documented read shapes, and the write form with the curated entries."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from events.api.actor_serializers import ActorRefField
from events.api.event_serializers import EventRowSerializer
from events.api.writing import FullCleanModelSerializer, SlugRefField
from events.choices import TimelineKind, TimelineStatus
from events.models import Event, EventType, Timeline, TimelineEntry


class TimelineListSerializer(serializers.Serializer):
    """Documents the list rows (built from a projection in timeline_views.timeline_row)."""

    slug = serializers.CharField()
    url = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=TimelineKind.choices)
    status = serializers.ChoiceField(choices=TimelineStatus.choices)
    description = serializers.CharField(help_text="Markdown.")
    updated_at = serializers.DateTimeField()


class TimelineQuerySerializer(serializers.Serializer):
    actors = serializers.ListField(child=serializers.CharField(), help_text="Actor slugs.")
    types = serializers.ListField(child=serializers.CharField(), help_text="Event type slugs.")
    from_date = serializers.DateField(allow_null=True)
    to_date = serializers.DateField(allow_null=True)


class TimelineEntrySerializer(serializers.Serializer):
    position = serializers.IntegerField()
    caption = serializers.CharField()
    event = EventRowSerializer()


class TimelineDetailSerializer(TimelineListSerializer):
    description_html = serializers.CharField(help_text="The description, rendered and sanitised.")
    query = TimelineQuerySerializer(
        allow_null=True, help_text="For saved-query timelines: what selects the events."
    )
    entries = TimelineEntrySerializer(
        many=True,
        help_text="In order: curated entries by position; a saved query's events by date.",
    )
    entries_truncated = serializers.BooleanField(
        help_text="True when there are more entries than shown; page through events_url."
    )
    events_url = serializers.CharField(help_text="The same events through /api/v1/events/.")
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class TimelineEntryWriteSerializer(serializers.Serializer):
    event = SlugRefField(slug_field="slug", queryset=Event.objects.all())
    position = serializers.IntegerField(
        min_value=0, required=False, help_text="Defaults to the entry's place in the list."
    )
    caption = serializers.CharField(max_length=300, required=False, allow_blank=True)


class TimelineWriteSerializer(FullCleanModelSerializer):
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
    version = serializers.IntegerField(
        required=False,
        help_text="The version you read; a stale one is refused with 409 (see also If-Match).",
    )

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
            _replace_entries(timeline, related["entries"], self.context["request"].user)

    def to_representation(self, instance):
        from events.api.timeline_views import timeline_detail

        return timeline_detail(instance, self.context["request"])


def _replace_entries(timeline: Timeline, entries: list[dict], user) -> None:
    if entries and timeline.kind != TimelineKind.CURATED:
        raise DjangoValidationError(
            {"entries": "Only curated timelines have entries; a saved query computes its events."}
        )
    wanted: dict[int, TimelineEntry] = {}
    for index, row in enumerate(entries):
        if row["event"].pk in wanted:
            raise DjangoValidationError(
                {"entries": f"Entry {index + 1}: “{row['event']}” is already in the timeline."}
            )
        wanted[row["event"].pk] = TimelineEntry(
            timeline=timeline,
            event=row["event"],
            position=row.get("position", index),
            caption=row.get("caption", ""),
        )
    existing = {entry.event_id: entry for entry in timeline.entries.all()}
    for event_id, entry in existing.items():
        entry._history_user = user
        if event_id not in wanted:
            entry.delete()
            continue
        new = wanted[event_id]
        if (entry.position, entry.caption) != (new.position, new.caption):
            entry.position, entry.caption = new.position, new.caption
            entry.save(update_fields=["position", "caption"])
    for event_id, entry in wanted.items():
        if event_id not in existing:
            entry._history_user = user
            entry.save()
