"""Event serializers: the write forms.

Reads are built without serializers: rows by events.api.rows, the detail by
events.api.event_detail; their shapes are declared in events.api.shapes.
"""

from rest_framework import serializers

from events.api.actor_serializers import ActorRefField
from events.api.writing import FullCleanModelSerializer, VersionedWriteSerializer
from events.choices import ActorKind
from events.models import Actor, Citation, Event, EventType, Participation, Source


class EventWriteSerializer(VersionedWriteSerializer):
    """Create or change an event. Status changes only through publish / unpublish / retract."""

    type = serializers.SlugRelatedField(
        source="event_type", slug_field="slug", queryset=EventType.objects.all()
    )
    location_country = ActorRefField(
        queryset=Actor.objects.filter(kind=ActorKind.STATE), required=False, allow_null=True
    )
    confirm_unusual_date = serializers.BooleanField(
        required=False,
        write_only=True,
        help_text="Send true to keep a year before 1800 or more than a year ahead (without it "
        "such a date is a 400: it is usually a typo).",
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "summary",
            "type",
            "start_date",
            "start_precision",
            "start_approximate",
            "end_date",
            "end_precision",
            "end_approximate",
            "location_country",
            "location_name",
            "verification",
            "importance",
            "version",
            "confirm_unusual_date",
        ]
        extra_kwargs = {"end_precision": {"required": False}}


class ParticipationSerializer(FullCleanModelSerializer):
    """An actor's role in an event, by slugs."""

    event = serializers.SlugRelatedField(slug_field="slug", queryset=Event.objects.all())
    actor = ActorRefField()

    class Meta:
        model = Participation
        fields = ["id", "event", "actor", "role", "note"]


class CitationSerializer(FullCleanModelSerializer):
    """A source cited for an event: the event by slug, the source by id."""

    event = serializers.SlugRelatedField(slug_field="slug", queryset=Event.objects.all())
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())

    class Meta:
        model = Citation
        fields = ["id", "event", "source", "quote", "locator", "stance", "note"]


class RetractSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why it is retracted; readers will see it.")
