"""How often two states voted alike in recorded UN votes, per year: one aggregate query.

Only votes of published events count (retracted ones are withdrawn claims). A vote counts when
both states cast yes, no or abstain on the same record; they agree when they cast the same.
The API's /api/v1/alignment/ answers the same question for programs.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear

from events.choices import ActorKind, EventStatus, VoteOption
from events.models import Actor, CountryVote

CAST = (VoteOption.YES, VoteOption.NO, VoteOption.ABSTAIN)


@dataclass(frozen=True)
class YearAgreement:
    year: int
    votes: int  # records where both cast a vote
    same: int  # of those, records where they cast the same

    @property
    def percent(self) -> int:
        return round(100 * self.same / self.votes) if self.votes else 0


def agreement_by_year(state: Actor, other: Actor) -> list[YearAgreement]:
    rows = (
        CountryVote.objects.filter(
            actor=state,
            option__in=CAST,
            vote_record__event__status=EventStatus.PUBLISHED,
            vote_record__country_votes__actor=other,
            vote_record__country_votes__option__in=CAST,
        )
        .annotate(year=ExtractYear("vote_record__event__date_lower"))
        .values("year")
        .annotate(
            votes=Count("id"),
            same=Count("id", filter=Q(option=F("vote_record__country_votes__option"))),
        )
        .order_by("year")
    )
    return [YearAgreement(row["year"], row["votes"], row["same"]) for row in rows]


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
