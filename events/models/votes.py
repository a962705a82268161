"""Recorded votes (UN General Assembly, Security Council …) with counts and per-country rolls."""

from collections import Counter

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q

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
            models.CheckConstraint(
                condition=~Q(result=VoteResult.ADOPTED) | Q(yes_count__gt=F("no_count")),
                name="%(app_label)s_%(class)s_adopted_has_majority",
                violation_error_message="An adopted text needs more votes in favour than against.",
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

    def roll_excesses(self, options: list[str]) -> list[str]:
        """Where even a partial roll records more votes for an option than the official count."""
        tally = Counter(options)
        problems = []
        for option, field in COUNT_FIELDS.items():
            official = getattr(self, field)
            if official is not None and tally[option] > official:
                problems.append(
                    f"{VoteOption(option).label}: the roll has {tally[option]}, "
                    f"more than the official count of {official}"
                )
        return problems

    def check_roll(
        self, options: list[str] | None = None, *, against: list[str] | None = None
    ) -> None:
        """Raise ValidationError if the roll (`options`, one per member; the stored roll when
        None) disagrees with the counts: a complete roll must match them, a partial one may
        not exceed them; an adopted text has no veto member against (`against`: ISO codes of
        the members voting against; read from the stored roll when None)."""
        if options is None:
            options = list(self.country_votes.values_list("option", flat=True))
        if self.roll_complete:
            problems = self.roll_mismatches(options)
            if problems:
                raise ValidationError(
                    "The roll is marked complete but does not match the official counts ("
                    + "; ".join(problems)
                    + "). Fix the counts or the roll, or untick “roll is complete”."
                )
        problems = self.roll_excesses(options)
        if problems:
            raise ValidationError(
                "The roll records more votes than the official counts ("
                + "; ".join(problems)
                + "). Fix the counts or the roll."
            )
        problem = self.veto_problem(against)
        if problem:
            raise ValidationError(problem)

    def veto_problem(self, against: list[str] | None = None) -> str | None:
        """An adopted text with a veto member (by the body's rules) recorded against, or None."""
        if self.result != VoteResult.ADOPTED or not self.body_id:
            return None
        vetoes = self.body.veto_member_codes
        if not vetoes:
            return None
        if against is None:
            if self.pk is None:
                return None
            against = list(
                self.country_votes.filter(option=VoteOption.NO).values_list(
                    "actor__iso3", flat=True
                )
            )
        vetoing = sorted(vetoes & {code for code in against if code})
        if not vetoing:
            return None
        return (
            f"{', '.join(vetoing)} voted against, and in the {self.body} a vote against by "
            f"{'this member' if len(vetoing) == 1 else 'these members'} is a veto: the text "
            "cannot be adopted. Record the result as “Not adopted (veto)”, or fix the roll."
        )

    def count_problems(self) -> dict[str, list[str]]:
        """Official counts that cannot be true, by field: an adoption with no more in favour
        than against or fewer in favour than the body requires, more votes than members."""
        counts = (self.yes_count, self.no_count, self.abstain_count)
        if any(count is None for count in counts):
            return {}  # the form reports the missing count
        yes, no, abstain = counts
        # Keyed by field: Django then skips the matching database constraint, whose message
        # would repeat this one less precisely.
        problems: dict[str, list[str]] = {}
        if self.result == VoteResult.ADOPTED and yes <= no:
            problems["result"] = [
                f"An adopted text needs more votes in favour than against; these counts have "
                f"{yes} in favour and {no} against. Fix the counts or the result."
            ]
        body = self.body if self.body_id else None
        if body is None:
            return problems
        if (
            self.result == VoteResult.ADOPTED
            and body.votes_to_adopt is not None
            and yes < body.votes_to_adopt
        ):
            problems.setdefault("yes_count", []).append(
                f"The {body} adopts a text with at least {body.votes_to_adopt} votes in "
                f"favour; these counts have {yes}. Fix the counts or the result."
            )
        total = yes + no + abstain + (self.non_voting_count or 0)
        if body.voting_members is not None and total > body.voting_members:
            problems[NON_FIELD_ERRORS] = [
                f"These counts add up to {total}, more than the {body.voting_members} members "
                f"of the {body}."
            ]
        return problems

    def clean(self) -> None:
        from events.models.types import UN_VOTE_TYPE_SLUG

        errors = self.count_problems()
        try:  # an event not yet saved counts too (a bulk import checks before it inserts)
            event = self.event
        except ObjectDoesNotExist:
            event = None
        if event is not None and event.event_type_id and event.event_type.slug != UN_VOTE_TYPE_SLUG:
            errors["event"] = ["A vote record belongs to an event of type “UN vote”."]
        if self.body_id and self.body.kind not in (ActorKind.ORGAN, ActorKind.ORGANISATION):
            errors["body"] = ["The voting body is an organisation or one of its organs."]
        if errors:
            raise ValidationError(errors)


OPTION_LABELS = dict(VoteOption.choices)


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

    class Meta:
        ordering = ["vote_record", "actor__name"]
        indexes = [
            # A state's votes (and alignment's pairs of them) from the index alone (PostgreSQL).
            models.Index(
                fields=["actor", "option"],
                include=["vote_record"],
                name="events_countryvote_actor_cover",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["vote_record", "actor"],
                name="%(app_label)s_%(class)s_one_per_member",
                violation_error_message="This member's vote is already recorded.",
            ),
        ]

    def __str__(self) -> str:
        # get_option_display() rebuilds the choices' dict on every call: a revision names
        # every vote of a roll (193 of them).
        return f"{self.actor}: {OPTION_LABELS.get(self.option, self.option)}"

    def clean(self) -> None:
        if self.actor_id and self.actor.kind != ActorKind.STATE:
            raise ValidationError({"actor": "Only states cast votes here."})
