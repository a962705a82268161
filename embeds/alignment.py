"""How often two states voted alike in recorded UN votes, per year, for the actor page.

The rule (published votes only; a vote counts when both cast yes, no or abstain; they agree
when they cast the same) lives in events.api.alignment, which /api/v1/alignment/ serves too:
one query over the two states' votes on the same records.
"""

from dataclasses import dataclass

from events.api.alignment import alignment
from events.choices import ActorKind, EventStatus
from events.models import Actor


@dataclass(frozen=True)
class YearAgreement:
    year: int
    votes: int  # records where both cast a vote
    same: int  # of those, records where they cast the same

    @property
    def percent(self) -> int:
        return round(100 * self.same / self.votes) if self.votes else 0


def agreement_by_year(state: Actor, other: Actor) -> list[YearAgreement]:
    periods = alignment(state, other, group_by="year")["periods"]
    return [
        YearAgreement(int(period["period"]), period["both_cast"], period["alike"])
        for period in periods
        if period["both_cast"]
    ]


def vote_partners(state: Actor):
    """The states that voted on at least one published record this state voted on."""
    return (
        Actor.objects.filter(
            kind=ActorKind.STATE,
            country_votes__vote_record__event__status=EventStatus.PUBLISHED,
            country_votes__vote_record__country_votes__actor=state,
        )
        .exclude(pk=state.pk)
        .distinct()
        .order_by("name")
    )
