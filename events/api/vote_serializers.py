"""Recorded votes: the documented read shapes and the write form (with the per-country roll)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from simple_history.utils import bulk_create_with_history

from events.api.actor_serializers import ActorRefField
from events.api.writing import FullCleanModelSerializer, SlugRefField
from events.choices import VoteOption, VoteResult
from events.freshness import stamp_change
from events.models import CountryVote, Event, VoteRecord


class VoteCountsSerializer(serializers.Serializer):
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    abstain = serializers.IntegerField()
    non_voting = serializers.IntegerField(allow_null=True, help_text="Null if not recorded.")


class BodySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class VoteListSerializer(serializers.Serializer):
    """Documents the list rows (built from a projection in vote_views.vote_row)."""

    id = serializers.IntegerField()
    url = serializers.CharField()
    event = serializers.CharField(help_text="Slug of the event that records the vote.")
    event_url = serializers.CharField()
    title = serializers.CharField()
    body = BodySerializer()
    document_symbol = serializers.CharField(allow_null=True)
    draft_symbol = serializers.CharField()
    result = serializers.ChoiceField(choices=VoteResult.choices)
    counts = VoteCountsSerializer()
    roll_complete = serializers.BooleanField()
    date = serializers.CharField(help_text="The vote's date in its precision: “24 Feb 2025”.")
    edtf = serializers.CharField(help_text="EDTF: 2025-02-24.")


class CountryVoteReadSerializer(serializers.Serializer):
    actor = serializers.CharField(help_text="Slug of the state.")
    name = serializers.CharField()
    iso3 = serializers.CharField(allow_null=True)
    option = serializers.ChoiceField(choices=VoteOption.choices)


class VoteDetailSerializer(VoteListSerializer):
    country_votes = CountryVoteReadSerializer(many=True, help_text="The roll, by state name.")


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
            _replace_roll(record, roll, self.context["request"].user)
        record.check_roll(None if roll is None else [row["option"] for row in roll])

    def to_representation(self, instance):
        from events.api.vote_views import vote_detail

        return vote_detail(instance, self.context["request"])


def _replace_roll(record: VoteRecord, roll: list[dict], user) -> None:
    """Write the roll as a diff (history records each changed vote), rules from CountryVote."""
    problems = []
    wanted: dict[int, CountryVote] = {}
    for index, row in enumerate(roll):
        vote = CountryVote(vote_record=record, actor=row["actor"], option=row["option"])
        if row["actor"].pk in wanted:
            problems.append(f"Row {index + 1}: {row['actor']} appears twice in the roll.")
            continue
        try:
            vote.clean()
        except DjangoValidationError as exc:
            problems.extend(f"Row {index + 1} ({row['actor']}): {m}" for m in exc.messages)
        wanted[row["actor"].pk] = vote
    if problems:
        raise DjangoValidationError({"country_votes": problems})

    existing = {vote.actor_id: vote for vote in record.country_votes.all()}
    for actor_id, vote in existing.items():
        if actor_id not in wanted:
            vote._history_user = user
            vote.delete()
        elif vote.option != wanted[actor_id].option:
            vote.option = wanted[actor_id].option
            vote._history_user = user
            vote.save(update_fields=["option"])
    new = [vote for actor_id, vote in wanted.items() if actor_id not in existing]
    if new:
        # One INSERT for a whole roll; bulk writes skip signals, so history and stamp by hand.
        bulk_create_with_history(new, CountryVote, default_user=user)
        stamp_change(record)
