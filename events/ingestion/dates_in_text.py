"""Dates as an article writes them, with the precision it writes them in.

"on Feb. 18", "February 18, 2025", "18 February 2025" are days; "in February", "earlier this
month", "last month" are months; "in 2024", "last year" are years; "on Monday", "yesterday",
"three days ago" are days counted from the article's publication date; "last week" is the
seven days of the week before it (a range of days, marked approximate). A month is never
turned into a made-up day: it runs from the 1st to its last day with month precision.

Our rules find each phrase and decide its precision; a weekday or a month without a year is
resolved against the publication date (the latest one not too far after it, as news reports
the recent past); counted phrases ("two weeks ago") are resolved by dateparser. Without a
publication date only dates that name their year are read.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from events.choices import DatePrecision
from events.dates import period_end

_MONTH_NUMBERS = {
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
# A month or a day without a year more than this far after publication is last year's.
_FUTURE_ALLOWANCE = dt.timedelta(days=60)

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_ABOUT = r"(?P<about>(?:about|around|circa|c\.|approximately|roughly)\s+)?"
_WHICH = r"(?P<which>last|this|next|earlier\s+this|later\s+this)"
_PREPOSITION = r"(?:in|during|throughout)"
_PART = r"(?:(?:early|mid|late|the\s+(?:start|beginning|end|middle)\s+of)[\s-]+)?"

# Tried in this order at each place: longer, more precise forms first.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(rf"\b{_YEAR}-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("month_day_year", re.compile(rf"{_ABOUT}\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b")),
    ("day_month_year", re.compile(rf"{_ABOUT}\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b")),
    ("month_year", re.compile(rf"{_ABOUT}\b{_PART}{_MONTH},?\s+(?:of\s+)?{_YEAR}\b")),
    ("month_day", re.compile(rf"{_ABOUT}\b{_MONTH}\s+{_DAY}\b(?![:.]\d)")),
    ("day_month", re.compile(rf"{_ABOUT}\b{_DAY}\s+(?:of\s+)?{_MONTH}(?!\w)")),
    # "in May" needs its preposition: "may" is also a verb.
    ("month", re.compile(rf"\b{_PREPOSITION}\s+{_PART}{_MONTH}(?!\w)")),
    ("year", re.compile(rf"\b(?:in|during|throughout|of)\s+{_PART}{_YEAR}\b(?!\s*[-/–]\d)")),
    ("relative_year", re.compile(rf"\b{_WHICH}\s+year\b")),
    ("relative_month", re.compile(rf"\b{_WHICH}\s+month\b")),
    ("relative_week", re.compile(rf"\b{_WHICH}\s+week\b")),
    ("weekday", re.compile(rf"\b(?P<which>last|next|this|on|since|until|by)?\s*{_WEEKDAY}\b")),
    ("deixis", re.compile(r"\b(?P<word>yesterday|today|tomorrow)\b")),
    (
        "ago",
        re.compile(
            r"\b(?P<count>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
            r"(?P<unit>day|week|month|year)s?\s+ago\b"
        ),
    ),
]  # fmt: skip


_ALWAYS_DATES = {"iso", "month_day_year", "day_month_year"}


@dataclass(frozen=True)
class DateMention:
    """A date written in a sentence: the days it covers, its precision, and the words."""

    start: dt.date
    end: dt.date  # the last day the written date covers (the start itself for a day)
    precision: str
    approximate: bool
    text: str
    position: int

    @property
    def rank(self) -> int:
        """How precise: day 3, month 2, year 1."""
        return {DatePrecision.DAY: 3, DatePrecision.MONTH: 2, DatePrecision.YEAR: 1}[self.precision]


def find_dates(sentence: str, *, published: dt.date | None) -> list[DateMention]:
    """The dates written in `sentence`, in order, none overlapping another."""
    taken: list[tuple[int, int]] = []
    found = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(sentence.lower()):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            mention = _read(kind, match, sentence, published)
            if mention is not None or kind in _ALWAYS_DATES:
                # "31 February 2025" is no date, and no "February 2025" either.
                taken.append(span)
            if mention is not None:
                found.append(mention)
    return sorted(found, key=lambda mention: mention.position)


def main_date(sentence: str, *, published: dt.date | None) -> DateMention | None:
    """The date a sentence is about: its most precise one, the first of equals."""
    mentions = find_dates(sentence, published=published)
    if not mentions:
        return None
    return max(mentions, key=lambda mention: (mention.rank, -mention.position))


def _read(kind: str, match: re.Match, sentence: str, published: dt.date | None):
    groups = match.groupdict()
    text = sentence[match.start() : match.end()].strip().rstrip(".")
    approximate = bool(groups.get("about"))

    def make(start: dt.date, precision: str, end: dt.date | None = None, approx=approximate):
        end = end or period_end(start, precision)
        return DateMention(start, end, precision, approx, text, match.start())

    try:
        if kind == "iso":
            return make(dt.date(int(groups["year"]), int(groups["m"]), int(groups["d"])), "day")
        if kind in ("month_day_year", "day_month_year"):
            month = _MONTH_NUMBERS[groups["month"]]
            return make(dt.date(int(groups["year"]), month, int(groups["day"])), "day")
        if kind == "month_year":
            return make(dt.date(int(groups["year"]), _MONTH_NUMBERS[groups["month"]], 1), "month")
        if kind == "year":
            return make(dt.date(int(groups["year"]), 1, 1), "year")
    except ValueError:
        return None  # "February 30, 2025" is not a date
    if published is None:
        return None  # everything below is counted from the publication date
    if kind in ("month_day", "day_month"):
        month = _MONTH_NUMBERS[groups["month"]]
        try:
            return make(_nearest_year(published, month, int(groups["day"])), "day")
        except ValueError:
            return None
    if kind == "month":
        return make(_nearest_year(published, _MONTH_NUMBERS[groups["month"]], 1), "month")
    which = " ".join((groups.get("which") or "").split())
    if kind == "relative_year":
        offset = {"last": -1, "next": 1}.get(which, 0)
        return make(dt.date(published.year + offset, 1, 1), "year")
    if kind == "relative_month":
        first = published.replace(day=1)
        if which == "last":
            first = (first - dt.timedelta(days=1)).replace(day=1)
        elif which == "next":
            first = (period_end(first, "month") + dt.timedelta(days=1)).replace(day=1)
        return make(first, "month")
    if kind == "relative_week":
        monday = published - dt.timedelta(days=published.weekday())
        monday += dt.timedelta(weeks={"last": -1, "next": 1}.get(which, 0))
        end = monday + dt.timedelta(days=6)
        if which == "earlier this":
            end = published
        return make(monday, "day", end=end, approx=True)
    if kind == "weekday":
        if which in ("since", "until", "by"):
            return None  # a bound, not the day something happened
        weekday = _WEEKDAYS[groups["weekday"]]
        if which == "next":
            days = (weekday - published.weekday()) % 7 or 7
            return make(published + dt.timedelta(days=days), "day")
        days = (published.weekday() - weekday) % 7
        if which == "last" and days == 0:
            days = 7
        return make(published - dt.timedelta(days=days), "day")
    if kind == "deixis":
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[groups["word"]]
        return make(published + dt.timedelta(days=offset), "day")
    if kind == "ago":
        return _ago(groups, published, make)
    return None


def _nearest_year(published: dt.date, month: int, day: int) -> dt.date:
    """The month and day in the publication's year, or the year before if that is too far ahead."""
    candidate = dt.date(published.year, month, day)
    if candidate > published + _FUTURE_ALLOWANCE:
        candidate = dt.date(published.year - 1, month, day)
    return candidate


def _ago(groups: dict, published: dt.date, make):
    count_word = " ".join(groups["count"].split())
    count = int(count_word) if count_word.isdigit() else _NUMBER_WORDS.get(count_word, 1)
    unit = groups["unit"]
    resolved = _dateparser_past(f"{count} {unit}s ago", published)
    if resolved is None:
        return None
    if unit == "day":
        return make(resolved, "day")
    if unit == "week":
        return make(resolved, "day", approx=True)
    if unit == "month":
        return make(resolved.replace(day=1), "month", approx=True)
    return make(resolved.replace(month=1, day=1), "year", approx=count_word != "1")


@functools.lru_cache(maxsize=512)
def _dateparser_past(phrase: str, published: dt.date) -> dt.date | None:
    import dateparser  # slow to import; only counted phrases need it

    base = dt.datetime.combine(published, dt.time(12))
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    return parsed.date() if parsed else None
