"""Recorded votes: the write form, with the per-country roll. Reads: vote_views, shapes.VoteRow."""

from rest_framework import serializers

from events import services
from events.api.actor_serializers import ActorRefField
from events.api.writing import FullCleanModelSerializer, SlugRefField
from events.choices import VoteOption
from events.models import Event, VoteRecord


class CountryVoteWriteSerializer(serializers.Serializer):
    actor = ActorRefField(help_text="The state: slug or ISO 3166 alpha-3 code (usa, RUS).")
    option = serializers.ChoiceField(choices=VoteOption.choices)


class VoteRecordWriteSerializer(FullCleanModelSerializer):
    """Create or change a recorded vote; a roll marked complete must match the counts."""

    event = SlugRefField(
        slug_field="slug",
        queryset=Event.objects.all(),
        help_text="Slug of the event (of type “UN vote”) that records the vote.",
    )
    body = ActorRefField(help_text="The voting body: slug.")
    country_votes = CountryVoteWriteSerializer(
        many=True,
        required=False,
        help_text="The per-country roll. When given, it replaces the recorded roll.",
    )

    class Meta:
        model = VoteRecord
        fields = [
            "event",
            "body",
            "document_symbol",
            "draft_symbol",
            "title",
            "result",
            "yes_count",
            "no_count",
            "abstain_count",
            "non_voting_count",
            "roll_complete",
            "country_votes",
        ]

    def pop_related(self, validated_data):
        return {"roll": validated_data.pop("country_votes", None)}

    def save_related(self, record: VoteRecord, related: dict) -> None:
        roll = related["roll"]
        if roll is not None:
            services.vote_roll_replace(record=record, roll=roll, user=self.context["request"].user)
        record.check_roll(None if roll is None else [row["option"] for row in roll])
