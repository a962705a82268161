"""Event serializers: documenting forms of the rows, and the write forms.

The detail is built by events.api.event_detail and declared in events.api.shapes.

List and timeline rows are built by `events.api.rows` without serializers (for speed); the
`*Row*` serializers below only describe them in the OpenAPI schema, field for field.
"""

from rest_framework import serializers

from events.api.actor_serializers import ActorRefField
from events.api.writing import FullCleanModelSerializer
from events.choices import (
    ActorKind,
    CitationStance,
    DatePrecision,
    EventStatus,
    ParticipantRole,
    Verification,
)
from events.models import Actor, Citation, Event, EventType, Participation, Source

# Documenting serializers for the rows of events.api.rows ---------------------------------


class TypeBriefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class DatePartSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="First day of the period (placeholder day/month).")
    precision = serializers.ChoiceField(choices=DatePrecision.choices)
    approximate = serializers.BooleanField()


class CountryBriefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    iso3 = serializers.CharField(allow_null=True)


class LocationSerializer(serializers.Serializer):
    country = CountryBriefSerializer(allow_null=True)
    name = serializers.CharField(allow_blank=True)


class RowActorSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ActorKind.choices)
    iso3 = serializers.CharField(allow_null=True)
    role = serializers.ChoiceField(choices=ParticipantRole.choices)


class RowSourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField(allow_null=True)
    publisher = serializers.CharField(allow_blank=True)
    stance = serializers.ChoiceField(choices=CitationStance.choices)


class EventRowSerializer(serializers.Serializer):
    """One event in a list, a timeline period or an export (see events.api.rows)."""

    id = serializers.IntegerField()
    slug = serializers.SlugField()
    url = serializers.URLField(help_text="This event's detail in the API.")
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True, help_text="Markdown.")
    type = TypeBriefSerializer()
    display_date = serializers.CharField(help_text="“18 Feb 2025”, “Mar 2025”, “c. 2025”.")
    edtf = serializers.CharField(help_text="Extended Date/Time Format: 2025-02-18, 2025-03, 2025~.")
    start = DatePartSerializer()
    end = DatePartSerializer(allow_null=True)
    earliest = serializers.DateField(help_text="First day it may have happened.")
    latest = serializers.DateField(help_text="Last day it may have happened.")
    location = LocationSerializer()
    status = serializers.ChoiceField(
        choices=EventStatus.choices,
        help_text="Readers see published and retracted events (retracted ones with the "
        "reason); drafts appear only to curators who ask with `status`.",
    )
    retraction_reason = serializers.CharField(allow_blank=True)
    verification = serializers.ChoiceField(choices=Verification.choices)
    importance = serializers.IntegerField(min_value=1, max_value=5)
    actors = RowActorSerializer(many=True)
    sources = RowSourceSerializer(many=True)
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()


class PeriodSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="2025-02-18, 2025-W08, 2025-02, 2025-Q1 or 2025.")
    start = serializers.DateField()
    end = serializers.DateField()
    count = serializers.IntegerField(help_text="Events in the period (even when truncated).")
    events = EventRowSerializer(many=True)


class RangeSerializer(serializers.Serializer):
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)


class FacetSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):
    types = FacetSerializer(many=True)
    actors = FacetSerializer(many=True)


class GroupedTimelineSerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=["day", "week", "month", "quarter", "year"])
    range = RangeSerializer()
    facets = FacetsSerializer()
    truncated = serializers.BooleanField(help_text="True when more events matched than `limit`.")
    periods = PeriodSerializer(many=True)


# Writes ----------------------------------------------------------------------------------


class EventWriteSerializer(FullCleanModelSerializer):
    """Create or change an event. Status changes only through publish / unpublish / retract."""

    type = serializers.SlugRelatedField(
        source="event_type", slug_field="slug", queryset=EventType.objects.all()
    )
    location_country = ActorRefField(
        queryset=Actor.objects.filter(kind=ActorKind.STATE), required=False, allow_null=True
    )
    version = serializers.IntegerField(
        required=False,
        write_only=True,
        help_text="The version you read; a stale one is refused with 409.",
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
        ]
        extra_kwargs = {"end_precision": {"required": False}}

    def pop_related(self, validated_data: dict) -> dict:
        validated_data.pop("version", None)  # checked by the view against the stored version
        return {}


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
