"""Periods: one date-range value type and one rule for filing events under them.

Used by the API's grouped timeline, the pages and the embeds, so the same event lands in the
same period everywhere.

The rule: an event is filed by its first possible day (`date_lower`) under the grouping's grain,
unless its start is less precise than that grain; then it gets a period of its own precision
beside the finer ones. Under `day` grouping an event of "Mar 2025" is in the period "2025-03"
(grain month), never on a made-up 1 March; an event of "2025" is in "2025" (grain year) under
every grouping finer than a year. Periods sort by their first day, and a coarser period comes
before the finer ones that begin the same day (2025, then 2025-01, then 2025-01-01).
"""

import calendar
import datetime as dt
import functools
from dataclasses import dataclass

from django.db.models import Case, DateField, When
from django.db.models.functions import TruncDay, TruncMonth, TruncQuarter, TruncWeek, TruncYear

from events import dates
from events.choices import DatePrecision

# Finest first: a grain's index is its coarseness.
GRAINS = ("day", "week", "month", "quarter", "year")
_RANK = {grain: rank for rank, grain in enumerate(GRAINS)}
# The grain a stored start precision is as precise as.
PRECISION_GRAIN = {
    DatePrecision.DAY: "day",
    DatePrecision.MONTH: "month",
    DatePrecision.YEAR: "year",
}
_TRUNCATE = {
    "day": TruncDay,
    "week": TruncWeek,
    "month": TruncMonth,
    "quarter": TruncQuarter,
    "year": TruncYear,
}
_QUARTER_MONTHS = ("Jan–Mar", "Apr–Jun", "Jul–Sep", "Oct–Dec")


def truncate(day: dt.date, grain: str) -> dt.date:
    """The first day of the `grain` period containing `day` (ISO weeks begin on Monday)."""
    if grain == "day":
        return day
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return dt.date(day.year, 1, 1)


def filing_grain(precision: str, grain: str) -> str:
    """The grain an event of start `precision` is filed under when grouping by `grain`."""
    own = PRECISION_GRAIN[precision]
    return own if _RANK[own] > _RANK[grain] else grain


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar period: its first day and its grain (day, week, month, quarter or year)."""

    start: dt.date
    grain: str

    def __post_init__(self):
        if self.grain not in _RANK:
            raise ValueError(f"Unknown grain “{self.grain}”: use {', '.join(GRAINS)}.")
        if truncate(self.start, self.grain) != self.start:
            raise ValueError(f"{self.start} does not begin a {self.grain}.")

    @classmethod
    def of(cls, day: dt.date, precision: str, grain: str) -> "Period":
        """The period an event starting on `day` with `precision` is filed under."""
        return _period_of(day, precision, grain)

    @property
    def end(self) -> dt.date:
        return _end(self.start, self.grain)

    @property
    def sort_key(self) -> tuple[dt.date, int]:
        return (self.start, -_RANK[self.grain])

    def __lt__(self, other: "Period") -> bool:
        return self.sort_key < other.sort_key

    @property
    def key(self) -> str:
        """2025-02-18, 2025-W08 (ISO week), 2025-02, 2025-Q1 or 2025; unique per period."""
        return _key(self.start, self.grain)

    @property
    def label(self) -> str:
        """For people: 18 Feb 2025, Week 8 of 2025, Feb 2025, Jan–Mar 2025, 2025."""
        precision = {"day": DatePrecision.DAY, "month": DatePrecision.MONTH}.get(self.grain)
        if precision:
            return dates.display_date(self.start, precision)
        if self.grain == "week":
            year, week, _ = self.start.isocalendar()
            return f"Week {week} of {year}"
        if self.grain == "quarter":
            return f"{_QUARTER_MONTHS[(self.start.month - 1) // 3]} {self.start.year}"
        return str(self.start.year)

    @property
    def short_label(self) -> str:
        """A density strip's tick: "Feb" for a month, the whole label otherwise."""
        return self.label.split(" ")[0] if self.grain == "month" else self.label

    @property
    def edtf(self) -> str:
        """2025-02-18, 2025-02 or 2025; a week or a quarter as its interval of days."""
        if self.grain in ("week", "quarter"):
            return f"{self.start.isoformat()}/{self.end.isoformat()}"
        return self.key

    @property
    def anchor(self) -> str:
        """A fragment id for the period's heading: p-2025-02."""
        return f"p-{self.key}"


# Pure and called for every row and every period of every grouped timeline: memoised.
@functools.lru_cache(maxsize=16384)
def _period_of(day: dt.date, precision: str, grain: str) -> Period:
    filed = filing_grain(precision, grain)
    return Period(truncate(day, filed), filed)


@functools.lru_cache(maxsize=16384)
def _end(start: dt.date, grain: str) -> dt.date:
    if grain == "day":
        return start
    if grain == "week":
        return start + dt.timedelta(days=6)
    if grain == "year":
        return dt.date(start.year, 12, 31)
    last_month = start.month + (2 if grain == "quarter" else 0)
    return dt.date(start.year, last_month, calendar.monthrange(start.year, last_month)[1])


@functools.lru_cache(maxsize=16384)
def _key(start: dt.date, grain: str) -> str:
    if grain == "day":
        return start.isoformat()
    if grain == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if grain == "month":
        return f"{start.year}-{start.month:02d}"
    if grain == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def span(first: dt.date, last: dt.date, grain: str) -> list[Period]:
    """Every `grain` period from the one containing `first` to the one containing `last`."""
    found, day = [], truncate(first, grain)
    while day <= last:
        found.append(Period(day, grain))
        day = _end(day, grain) + dt.timedelta(days=1)
    return found


def period_start_expression(grain: str) -> Case:
    """SQL for the first day of the period an event is filed under (the rule above, in SQL).

    Group by it and `start_precision`; `Period.of(start, precision, grain)` then names the
    period of each group exactly as it names the period of each row.
    """
    coarser = [
        When(start_precision=precision, then=_TRUNCATE[own]("date_lower"))
        for precision, own in PRECISION_GRAIN.items()
        if _RANK[own] > _RANK[grain]
    ]
    default = _TRUNCATE[grain]("date_lower", output_field=DateField())
    if not coarser:
        return default
    return Case(*coarser, default=default, output_field=DateField())


def group(rows, grain: str) -> dict[Period, list]:
    """Event rows (with `date_lower` and `start_precision`) by period, in time order.

    Within a period the rows keep the order they came in.
    """
    periods: dict[Period, list] = {}
    for row in rows:
        periods.setdefault(Period.of(row.date_lower, row.start_precision, grain), []).append(row)
    return dict(sorted(periods.items(), key=lambda pair: pair[0].sort_key))
