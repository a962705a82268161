"""Event serializers: documenting forms of the rows, the detail form, and the write forms.

List and timeline rows are built by `events.api.rows` without serializers (for speed); the
`*Row*` serializers below only describe them in the OpenAPI schema, field for field.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events import dates
from events.api.writing import FullCleanModelSerializer
from events.choices import (
    ActorKind,
    CitationStance,
    DatePrecision,
    EventStatus,
    ParticipantRole,
    Verification,
)
from events.markdown import render_markdown
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


# Event detail ----------------------------------------------------------------------------


class ActorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["slug", "name", "kind", "iso3"]


class PostSerializer(serializers.Serializer):
    title = serializers.CharField()
    organisation = ActorBriefSerializer()


class ParticipantSerializer(serializers.ModelSerializer):
    actor = ActorBriefSerializer()
    posts = serializers.SerializerMethodField(
        help_text="The posts a person held on the event's date."
    )

    class Meta:
        model = Participation
        fields = ["role", "note", "actor", "posts"]

    @extend_schema_field(PostSerializer(many=True))
    def get_posts(self, participation) -> list[dict]:
        posts = getattr(participation.actor, "posts_then", [])
        return PostSerializer(posts, many=True).data


class SourceBriefSerializer(serializers.ModelSerializer):
    published_on = serializers.SerializerMethodField(help_text="In its precision: 2025-02.")

    class Meta:
        model = Source
        fields = ["id", "kind", "title", "url", "publisher", "published_on", "language"]

    def get_published_on(self, source) -> str | None:
        if not source.published_on:
            return None
        return dates.edtf_date(
            source.published_on, source.published_precision, source.published_approximate
        )


class CitationDetailSerializer(serializers.ModelSerializer):
    source = SourceBriefSerializer()

    class Meta:
        model = Citation
        fields = ["id", "stance", "quote", "locator", "note", "source"]


class CountryVoteSerializer(serializers.Serializer):
    actor = ActorBriefSerializer()
    option = serializers.CharField()


class VoteRecordSerializer(serializers.Serializer):
    body = ActorBriefSerializer()
    document_symbol = serializers.CharField(allow_null=True)
    draft_symbol = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    result = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    roll_complete = serializers.BooleanField()
    votes = CountryVoteSerializer(many=True, source="country_votes.all")


class AidMeasureSerializer(serializers.Serializer):
    donor = ActorBriefSerializer()
    recipient = ActorBriefSerializer()
    kind = serializers.CharField()
    action = serializers.CharField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    currency = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)


class RelatedEventSerializer(serializers.Serializer):
    relation = serializers.CharField(help_text="follows, responds_to or part_of.")
    direction = serializers.ChoiceField(
        choices=["outgoing", "incoming"],
        help_text="outgoing: this event <relation> the other; incoming: the other <relation> "
        "this one.",
    )
    slug = serializers.SlugField()
    title = serializers.CharField()
    display_date = serializers.CharField()
    url = serializers.URLField()


class HistorySummarySerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class EventDetailSerializer(serializers.ModelSerializer):
    """Everything about one event. Expects `events.api.event_views.detail_queryset` prefetches."""

    url = serializers.SerializerMethodField()
    summary_html = serializers.SerializerMethodField(help_text="Sanitised HTML of the summary.")
    type = TypeBriefSerializer(source="event_type")
    display_date = serializers.CharField()
    edtf = serializers.CharField()
    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()
    earliest = serializers.DateField(source="date_lower")
    latest = serializers.DateField(source="date_upper")
    location = serializers.SerializerMethodField()
    participants = ParticipantSerializer(many=True, source="participations.all")
    citations = CitationDetailSerializer(many=True, source="citations.all")
    vote_record = serializers.SerializerMethodField()
    aid_measures = AidMeasureSerializer(many=True, source="aid_measures.all")
    related = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "url",
            "title",
            "summary",
            "summary_html",
            "type",
            "display_date",
            "edtf",
            "start",
            "end",
            "earliest",
            "latest",
            "location",
            "status",
            "retraction_reason",
            "verification",
            "importance",
            "participants",
            "citations",
            "vote_record",
            "aid_measures",
            "related",
            "history",
            "version",
        ]

    def get_url(self, event) -> str:
        return self._url(event.slug)

    def _url(self, slug: str) -> str:
        return self.context["request"].build_absolute_uri(reverse("event-detail", args=[slug]))

    def get_summary_html(self, event) -> str:
        return str(render_markdown(event.summary))

    @staticmethod
    def _part(value, precision, approximate) -> dict | None:
        if value is None:
            return None
        return {"date": value.isoformat(), "precision": precision, "approximate": approximate}

    @extend_schema_field(DatePartSerializer)
    def get_start(self, event) -> dict:
        return self._part(event.start_date, event.start_precision, event.start_approximate)

    @extend_schema_field(DatePartSerializer(allow_null=True))
    def get_end(self, event) -> dict | None:
        return self._part(event.end_date, event.end_precision, event.end_approximate)

    @extend_schema_field(LocationSerializer)
    def get_location(self, event) -> dict:
        country = event.location_country
        return {
            "country": (
                {"slug": country.slug, "name": country.name, "iso3": country.iso3}
                if country
                else None
            ),
            "name": event.location_name,
        }

    @extend_schema_field(VoteRecordSerializer(allow_null=True))
    def get_vote_record(self, event) -> dict | None:
        record = getattr(event, "vote_record", None)
        return VoteRecordSerializer(record).data if record is not None else None

    @extend_schema_field(RelatedEventSerializer(many=True))
    def get_related(self, event) -> list[dict]:
        related = [
            ("outgoing", relation.kind, relation.to_event)
            for relation in event.relations_from.all()
        ] + [
            ("incoming", relation.kind, relation.from_event)
            for relation in event.relations_to.all()
        ]
        return [
            {
                "relation": kind,
                "direction": direction,
                "slug": other.slug,
                "title": other.title,
                "display_date": other.display_date,
                "url": self._url(other.slug),
            }
            for direction, kind, other in related
        ]

    @extend_schema_field(HistorySummarySerializer)
    def get_history(self, event) -> dict:
        return {
            "created_at": serializers.DateTimeField().to_representation(event.created_at),
            "updated_at": serializers.DateTimeField().to_representation(event.updated_at),
            "published_at": (
                serializers.DateTimeField().to_representation(event.published_at)
                if event.published_at
                else None
            ),
            "version": event.version,
        }


# Writes ----------------------------------------------------------------------------------


class EventWriteSerializer(FullCleanModelSerializer):
    """Create or change an event. Status changes only through publish / unpublish / retract."""

    type = serializers.SlugRelatedField(
        source="event_type", slug_field="slug", queryset=EventType.objects.all()
    )
    location_country = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Actor.objects.filter(kind=ActorKind.STATE),
        required=False,
        allow_null=True,
    )
    version = serializers.IntegerField(
        required=False,
        write_only=True,
        help_text="The version you read; a stale one is refused with 409.",
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

    def pop_related(self, validated_data: dict) -> dict:
        validated_data.pop("version", None)  # checked by the view against the stored version
        return {}


class ParticipationSerializer(FullCleanModelSerializer):
    """An actor's role in an event, by slugs."""

    event = serializers.SlugRelatedField(slug_field="slug", queryset=Event.objects.all())
    actor = serializers.SlugRelatedField(slug_field="slug", queryset=Actor.objects.all())

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
