"""How often two states voted alike in recorded votes: the rule, the query, and its answer.

The rule: published votes only; a vote counts when both states cast yes, no or abstain; they
agree when they cast the same. /api/v1/alignment/ and the actor page's chart both ask here.
One query joins the two states' recorded votes on the same vote records (optionally of one
body and period), in date order; the periods and totals are summed as the rows stream past,
so the cost does not grow with the number of periods.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Literal, TypedDict

from django.db.models import F, FilteredRelation, Q

from events import dates, statements
from events.choices import ActorKind, EventStatus, VoteOption
from events.models import Actor, VoteRecord

GROUPINGS = ("year", "month", "all")
CAST = {VoteOption.YES, VoteOption.NO, VoteOption.ABSTAIN}


class State(TypedDict):
    slug: str
    name: str
    iso3: str | None


class AlignedVote(TypedDict):
    symbol: str | None  # document symbol, e.g. A/RES/ES-11/7
    title: str
    event: str  # slug of the event recording the vote
    body: str  # slug of the voting body
    date: str  # in its precision: “24 Feb 2025”
    edtf: str
    a_option: VoteOption
    b_option: VoteOption
    alike: bool | None  # same option; null unless both cast yes, no or abstain


class AlignmentTotals(TypedDict):
    both_cast: int  # votes where both voted yes, no or abstain
    alike: int  # of those, votes where both chose the same
    agreement: float | None  # alike / both_cast, or null


class AlignmentPeriod(TypedDict):
    period: str  # 2025, 2025-02, or all
    start: str
    end: str
    both_cast: int
    alike: int
    agreement: float | None
    votes: list[AlignedVote]


class Alignment(TypedDict):
    """How two states voted on the same recorded votes, per period, with the votes listed."""

    a: State
    b: State
    body: State | None
    group_by: Literal["year", "month", "all"]
    periods: list[AlignmentPeriod]
    totals: AlignmentTotals


# What aligned_votes gives for each vote, in this order.
VOTE_COLUMNS = (
    "document_symbol",
    "title",
    "body__slug",
    "event__slug",
    "event__date_lower",
    "event__start_date",
    "event__start_precision",
    "event__start_approximate",
    "a_option",
    "b_option",
)


def aligned_votes(a: Actor, b: Actor, *, body=None, start=None, end=None) -> list[tuple]:
    """The one query: each published vote both states have on record, in date order, as
    tuples of VOTE_COLUMNS (read through events.statements: thousands of rows, no converter)."""
    records = (
        VoteRecord.objects.filter(event__status=EventStatus.PUBLISHED)
        .annotate(
            vote_a=FilteredRelation("country_votes", condition=Q(country_votes__actor=a)),
            vote_b=FilteredRelation("country_votes", condition=Q(country_votes__actor=b)),
        )
        .filter(vote_a__isnull=False, vote_b__isnull=False)
    )
    if body is not None:
        records = records.filter(body=body)
    if start is not None:
        records = records.filter(event__date_upper__gte=start)
    if end is not None:
        records = records.filter(event__date_lower__lte=end)
    records = records.annotate(a_option=F("vote_a__option"), b_option=F("vote_b__option"))
    return statements.rows_of(
        records.order_by("event__date_lower", "id").values_list(*VOTE_COLUMNS)
    )


def _period(day: dt.date, group_by: str) -> tuple[str, dt.date, dt.date]:
    if group_by == "year":
        return str(day.year), dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if group_by == "month":
        first = day.replace(day=1)
        return f"{day.year}-{day.month:02d}", first, dates.period_end(first, "month")
    return "all", day, day  # widened to the first and last vote below


def _tally(both_cast: int, alike: int) -> AlignmentTotals:
    return {
        "both_cast": both_cast,
        "alike": alike,
        "agreement": round(alike / both_cast, 4) if both_cast else None,
    }


def alignment(a: Actor, b: Actor, *, body=None, group_by="year", start=None, end=None) -> Alignment:
    periods: dict[str, dict] = {}
    spans: dict[tuple[int, int], tuple[str, dt.date, dt.date]] = {}  # _period, once a month
    for (
        symbol,
        title,
        body_slug,
        event_slug,
        day,
        start_date,
        start_precision,
        approximate,
        a_option,
        b_option,
    ) in aligned_votes(a, b, body=body, start=start, end=end):
        span = spans.get((day.year, day.month))
        if span is None:
            span = spans[day.year, day.month] = _period(day, group_by)
        label, first, last = span
        period = periods.get(label)
        if period is None:
            period = periods[label] = {
                "period": label,
                "start": first,
                "end": last,
                "cast": 0,
                "alike": 0,
                "votes": [],
            }
        if day > period["end"]:  # grouped by "all": the last vote's date
            period["end"] = day
        both_cast = a_option in CAST and b_option in CAST
        alike = a_option == b_option if both_cast else None
        period["cast"] += both_cast
        period["alike"] += bool(alike)
        period["votes"].append(
            {
                "symbol": symbol,
                "title": title,
                "event": event_slug,
                "body": body_slug,
                "date": dates.display_date(start_date, start_precision, approximate),
                "edtf": dates.edtf_date(start_date, start_precision, approximate),
                "a_option": a_option,
                "b_option": b_option,
                "alike": alike,
            }
        )
    results: list[AlignmentPeriod] = [
        {
            "period": p["period"],
            "start": p["start"].isoformat(),
            "end": p["end"].isoformat(),
            **_tally(p["cast"], p["alike"]),
            "votes": p["votes"],
        }
        for p in periods.values()
    ]
    totals = _tally(
        sum(p["cast"] for p in periods.values()), sum(p["alike"] for p in periods.values())
    )
    return {
        "a": _state(a),
        "b": _state(b),
        "body": _state(body) if body is not None else None,
        "group_by": group_by,
        "periods": results,
        "totals": totals,
    }


def _state(actor: Actor) -> State:
    return {"slug": actor.slug, "name": actor.name, "iso3": actor.iso3}


@dataclass(frozen=True)
class YearAgreement:
    """One year of the actor page's agreement chart."""

    year: int
    votes: int  # records where both cast a vote
    same: int  # of those, records where they cast the same

    @property
    def percent(self) -> int:
        return round(100 * self.same / self.votes) if self.votes else 0


def agreement_by_year(state: Actor, other: Actor) -> list[YearAgreement]:
    """The years in which both states cast a vote on the same record."""
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
