"""Nested ModelSerializers, as the DRF tutorial teaches them."""

from rest_framework import serializers

from events.models import Actor, Citation, Event, EventType, Participation, Source, VoteRecord


class ActorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "slug", "name", "kind", "iso3"]


class EventTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventType
        fields = ["slug", "name"]


class ParticipationSerializer(serializers.ModelSerializer):
    actor = ActorSerializer()

    class Meta:
        model = Participation
        fields = ["role", "actor"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "title", "url", "publisher"]


class CitationSerializer(serializers.ModelSerializer):
    source = SourceSerializer()

    class Meta:
        model = Citation
        fields = ["stance", "locator", "source"]


class EventSerializer(serializers.ModelSerializer):
    event_type = EventTypeSerializer()
    location_country = ActorSerializer(allow_null=True)
    participations = ParticipationSerializer(many=True)
    citations = CitationSerializer(many=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "event_type",
            "start_date",
            "start_precision",
            "start_approximate",
            "end_date",
            "end_precision",
            "end_approximate",
            "date_lower",
            "date_upper",
            "location_country",
            "location_name",
            "status",
            "retraction_reason",
            "verification",
            "importance",
            "participations",
            "citations",
            "published_at",
            "updated_at",
        ]


class VoteEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["slug", "date_lower"]


class VoteRecordSerializer(serializers.ModelSerializer):
    event = VoteEventSerializer()
    body = ActorSerializer()

    class Meta:
        model = VoteRecord
        fields = [
            "id",
            "document_symbol",
            "title",
            "result",
            "yes_count",
            "no_count",
            "abstain_count",
            "non_voting_count",
            "event",
            "body",
        ]
