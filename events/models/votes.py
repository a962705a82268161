"""Recorded votes (UN General Assembly, Security Council …) with counts and per-country rolls."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from events.choices import ActorKind, VoteOption, VoteResult
from events.models.actors import Actor
from events.models.events import Event
from events.validators import un_symbol_validator

COUNT_FIELDS = {
    VoteOption.YES: "yes_count",
    VoteOption.NO: "no_count",
    VoteOption.ABSTAIN: "abstain_count",
    VoteOption.NON_VOTING: "non_voting_count",
}


class VoteRecord(models.Model):
    """The outcome of one vote, attached to the event of type “UN vote” that it records."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="vote_record")
    # PROTECT: the voting body must outlive its recorded votes.
    body = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="vote_records",
        help_text="The body that voted, e.g. UN General Assembly.",
    )
    document_symbol = models.CharField(
        max_length=60,
        null=True,
        blank=True,
        unique=True,
        validators=[un_symbol_validator],
        help_text="The adopted text, e.g. A/RES/ES-11/7.",
    )
    draft_symbol = models.CharField(
        max_length=60,
        blank=True,
        validators=[un_symbol_validator],
        help_text="The draft voted on, e.g. A/ES-11/L.10.",
    )
    title = models.CharField(max_length=500)
    result = models.CharField(max_length=10, choices=VoteResult.choices)
    yes_count = models.PositiveSmallIntegerField("in favour")
    no_count = models.PositiveSmallIntegerField("against")
    abstain_count = models.PositiveSmallIntegerField("abstentions")
    non_voting_count = models.PositiveSmallIntegerField("did not vote", null=True, blank=True)
    roll_complete = models.BooleanField(
        "roll is complete",
        default=False,
        help_text="Tick when every member's vote is recorded below; the counts must then match.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["event__date_lower", "id"]
        indexes = [models.Index(fields=["body"], name="events_voterecord_body_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(yes_count__gte=0)
                & Q(no_count__gte=0)
                & Q(abstain_count__gte=0)
                & (Q(non_voting_count__isnull=True) | Q(non_voting_count__gte=0)),
                name="%(app_label)s_%(class)s_counts_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.document_symbol or self.title

    @property
    def counts(self) -> dict[str, int | None]:
        return {option: getattr(self, field) for option, field in COUNT_FIELDS.items()}

    def roll_mismatches(self, options: list[str]) -> list[str]:
        """How a complete roll (one option per country) disagrees with the official counts."""
        tally = Counter(options)
        problems = []
        for option, field in COUNT_FIELDS.items():
            official = getattr(self, field)
            if official is None and option == VoteOption.NON_VOTING:
                official = 0
            if tally[option] != official:
                problems.append(
                    f"{VoteOption(option).label}: the roll has {tally[option]}, "
                    f"the official count is {official}"
                )
        return problems

    def check_roll(self, options: list[str] | None = None) -> None:
        """Raise ValidationError if the roll is marked complete but disagrees with the counts."""
        if not self.roll_complete:
            return
        if options is None:
            options = list(self.country_votes.values_list("option", flat=True))
        problems = self.roll_mismatches(options)
        if problems:
            raise ValidationError(
                "The roll is marked complete but does not match the official counts ("
                + "; ".join(problems)
                + "). Fix the counts or the roll, or untick “roll is complete”."
            )

    def clean(self) -> None:
        errors = {}
        from events.models.types import UN_VOTE_TYPE_SLUG

        if self.event_id and self.event.event_type.slug != UN_VOTE_TYPE_SLUG:
            errors["event"] = "A vote record belongs to an event of type “UN vote”."
        if self.body_id and self.body.kind not in (ActorKind.ORGAN, ActorKind.ORGANISATION):
            errors["body"] = "The voting body is an organisation or one of its organs."
        if errors:
            raise ValidationError(errors)


class CountryVote(models.Model):
    """How one member voted on a recorded vote."""

    vote_record = models.ForeignKey(
        VoteRecord, on_delete=models.CASCADE, related_name="country_votes"
    )
    # PROTECT: a state with recorded votes cannot be deleted.
    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="country_votes",
        limit_choices_to={"kind": ActorKind.STATE},
    )
    option = models.CharField(max_length=10, choices=VoteOption.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["vote_record", "actor__name"]
        indexes = [
            models.Index(fields=["actor", "option"], name="events_countryvote_actor_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["vote_record", "actor"],
                name="%(app_label)s_%(class)s_one_per_member",
                violation_error_message="This member's vote is already recorded.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor}: {self.get_option_display()}"

    def clean(self) -> None:
        if self.actor_id and self.actor.kind != ActorKind.STATE:
            raise ValidationError({"actor": "Only states cast votes here."})
