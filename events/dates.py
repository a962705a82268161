"""Dates with honest precision: one place that validates, bounds, renders and encodes them.

A date is stored as a `date` plus a precision (day, month, year) and an "approximate" flag.
For month precision the stored date is the 1st of the month, for year precision 1 January;
those placeholder days are never shown: everything that displays or exports a date calls
`display_date` / `edtf` here.
"""

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from events.choices import DatePrecision

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def precision_error(value: dt.date, precision: str) -> str | None:
    """Why `value` cannot carry `precision`, or None when it fits."""
    if precision == DatePrecision.MONTH and value.day != 1:
        return (
            f"With month precision, enter the first day of the month "
            f"({value.replace(day=1).isoformat()}), or choose day precision."
        )
    if precision == DatePrecision.YEAR and (value.month, value.day) != (1, 1):
        return (
            f"With year precision, enter 1 January ({value.year:04d}-01-01), "
            f"or choose month or day precision."
        )
    return None


# Years outside this range are almost always typos (0025 for 2025); they need confirming.
EARLIEST_USUAL_YEAR = 1800
UNUSUAL_DATE = "unusual_date"  # the ValidationError code forms look for to offer confirmation


def unusual_date_problem(value: dt.date, today: dt.date | None = None) -> str | None:
    """Why `value` looks like a typo (before 1800, or more than a year ahead), or None."""
    today = today or dt.date.today()
    if value.year < EARLIEST_USUAL_YEAR:
        return (
            f"Year {value.year:04d} looks like a typo: dates before {EARLIEST_USUAL_YEAR} are "
            "rare here. Correct the year, or confirm that the date is meant."
        )
    if value > today + dt.timedelta(days=366):
        return (
            f"{display_date(value, DatePrecision.DAY)} is more than a year ahead and looks like "
            "a typo. Correct the year, or confirm that the date is meant."
        )
    return None


def period_end(value: dt.date, precision: str) -> dt.date:
    """The last day the period starting at `value` covers."""
    if precision == DatePrecision.YEAR:
        return dt.date(value.year, 12, 31)
    if precision == DatePrecision.MONTH:
        return dt.date(value.year, value.month, calendar.monthrange(value.year, value.month)[1])
    return value


def reversed_period(start, end, *, start_text: str = "", end_text: str = "") -> str | None:
    """The one message for a `from`/`to` pair whose end comes before its start, or None.

    `start` and `end` are (date, precision) pairs as the partial-date parameters parse them;
    the texts, when given, quote what the person typed.
    """
    if not (start and end) or period_end(*end) >= start[0]:
        return None
    to = f"“to” ({end_text})" if end_text else "“to”"
    since = f"“from” ({start_text})" if start_text else "“from”"
    return f"{to} is before {since}: give a “to” on or after “from”."


def bounds(
    start: dt.date, start_precision: str, end: dt.date | None, end_precision: str | None
) -> tuple[dt.date, dt.date]:
    """(first day it may have happened, last day it may have happened)."""
    if end is None:
        return start, period_end(start, start_precision)
    return start, period_end(end, end_precision or DatePrecision.DAY)


# Pure functions of hashable arguments, called for every row of every list and export, and for
# each of the thousands of votes of an alignment: memoised.
@functools.lru_cache(maxsize=8192)
def display_date(value: dt.date, precision: str, approximate: bool = False) -> str:
    """ "18 Feb 2025", "Feb 2025", "2025", "c. 2025"."""
    # Four digits always: “3 Mar 0025” shows a typo that “3 Mar 25” would hide.
    if precision == DatePrecision.YEAR:
        text = f"{value.year:04d}"
    elif precision == DatePrecision.MONTH:
        text = f"{_MONTHS[value.month - 1]} {value.year:04d}"
    else:
        text = f"{value.day} {_MONTHS[value.month - 1]} {value.year:04d}"
    return f"c. {text}" if approximate else text


@functools.lru_cache(maxsize=8192)
def display_range(
    start: dt.date,
    start_precision: str,
    start_approximate: bool = False,
    end: dt.date | None = None,
    end_precision: str | None = None,
    end_approximate: bool = False,
) -> str:
    first = display_date(start, start_precision, start_approximate)
    if end is None:
        return first
    return f"{first} – {display_date(end, end_precision or DatePrecision.DAY, end_approximate)}"


def display_range_of(values) -> str:
    """display_range of a mapping holding an event's stored dates (DATE_COLUMNS of events.rows)."""
    return display_range(
        values["start_date"],
        values["start_precision"],
        values["start_approximate"],
        values["end_date"],
        values["end_precision"] or None,
        values["end_approximate"],
    )


@functools.lru_cache(maxsize=8192)
def edtf_date(value: dt.date, precision: str, approximate: bool = False) -> str:
    """Extended Date/Time Format (ISO 8601-2) level 1: `2025-02-18`, `2025-02`, `2025~`."""
    if precision == DatePrecision.YEAR:
        text = f"{value.year:04d}"
    elif precision == DatePrecision.MONTH:
        text = f"{value.year:04d}-{value.month:02d}"
    else:
        text = value.isoformat()
    return f"{text}~" if approximate else text


@functools.lru_cache(maxsize=8192)
def edtf(
    start: dt.date,
    start_precision: str,
    start_approximate: bool = False,
    end: dt.date | None = None,
    end_precision: str | None = None,
    end_approximate: bool = False,
) -> str:
    first = edtf_date(start, start_precision, start_approximate)
    if end is None:
        return first
    return f"{first}/{edtf_date(end, end_precision or DatePrecision.DAY, end_approximate)}"


_PARTIAL = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")


def parse_partial(text: str) -> tuple[dt.date, str]:
    """Parse `2025`, `2025-03` or `2025-03-15` into (first day, precision).

    Raises ValueError with a message that says what is allowed.
    """
    match = _PARTIAL.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.")
    year, month, day = match["y"], match["m"], match["d"]
    try:
        if day:
            return dt.date(int(year), int(month), int(day)), DatePrecision.DAY
        if month:
            return dt.date(int(year), int(month), 1), DatePrecision.MONTH
        return dt.date(int(year), 1, 1), DatePrecision.YEAR
    except ValueError as exc:
        raise ValueError(
            f"'{text}' is not a valid calendar date ({exc}): "
            "give a real year, month or day as YYYY, YYYY-MM or YYYY-MM-DD."
        ) from exc


# Reading a date as a source writes it. One parser for the admin's "date" field and the API's
# `date`; it understands what display_range and edtf write, so a shown date reads back as itself.

DATE_HELP = (
    "As the source says it: 18 Feb 2025, Feb 2025, 2025, c. 2025 (about), or a range 2024/2025."
)

_MONTH_NAMES = {
    **{name.lower(): number for number, name in enumerate(_MONTHS, start=1)},
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    "sept": 9,
}
_RANGE_SEPARATOR = re.compile(r"\s*/\s*|\s+[-–—]\s+|\s*[–—]\s*|\s+to\s+", re.IGNORECASE)
_APPROXIMATE_PREFIX = re.compile(r"^(?:c\.|ca\.|circa\b|c\b|about\b|around\b)\s*", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(r"^(?P<d>\d{1,2})\s+(?P<m>[a-z]+)\.?,?\s+(?P<y>\d{4})$", re.I)
_MONTH_DAY_YEAR = re.compile(r"^(?P<m>[a-z]+)\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})$", re.I)
_MONTH_YEAR = re.compile(r"^(?P<m>[a-z]+)\.?,?\s+(?P<y>\d{4})$", re.I)
_VAGUE = re.compile(
    r"\b(early|mid|middle|late|end|beginning|start|spring|summer|autumn|fall|winter|"
    r"q[1-4]|quarter|half|h[12]|around|before|after|since|until)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class WrittenDate:
    """A date as stored: start, its precision and approximation, and the same for the end."""

    start: dt.date
    start_precision: str
    start_approximate: bool = False
    end: dt.date | None = None
    end_precision: str = ""
    end_approximate: bool = False

    def as_fields(self) -> dict:
        """The Event fields this date is stored in."""
        return {
            "start_date": self.start,
            "start_precision": self.start_precision,
            "start_approximate": self.start_approximate,
            "end_date": self.end,
            "end_precision": self.end_precision,
            "end_approximate": self.end_approximate,
        }

    def __str__(self) -> str:
        return display_range(
            self.start,
            self.start_precision,
            self.start_approximate,
            self.end,
            self.end_precision or None,
            self.end_approximate,
        )


def parse_written_date(text: str) -> WrittenDate:
    """Read `18 Feb 2025`, `Feb 2025`, `2025-02`, `c. 2025`, `2025~`, `2024/2025` …

    Raises ValueError with a message a curator can act on (no Markdown: it is shown as is).
    """
    text = " ".join(str(text).split())
    if not text:
        raise ValueError(f"Enter a date. {DATE_HELP}")
    # A lone hyphen between ISO parts is part of the date ("2025-02"): only spaced or long
    # dashes, a slash or "to" separate the two ends of a range.
    parts = _RANGE_SEPARATOR.split(text)
    if len(parts) > 2:
        raise ValueError(f"“{text}” has more than two ends. {DATE_HELP}")
    start, start_precision, start_approximate = _parse_one(parts[0], whole=text)
    if len(parts) == 1:
        return WrittenDate(start, start_precision, start_approximate)
    end, end_precision, end_approximate = _parse_one(parts[1], whole=text)
    if end < start:
        raise ValueError(f"In “{text}” the end comes before the start.")
    return WrittenDate(
        start, start_precision, start_approximate, end, end_precision, end_approximate
    )


def _parse_one(part: str, *, whole: str) -> tuple[dt.date, str, bool]:
    part = part.strip()
    approximate = False
    if part.endswith("~"):
        approximate, part = True, part[:-1].strip()
    prefix = _APPROXIMATE_PREFIX.match(part)
    if prefix and part[prefix.end() :]:
        approximate, part = True, part[prefix.end() :]
    if not part:
        raise ValueError(f"“{whole}” is not a date. {DATE_HELP}")
    if part[0].isdigit() and _PARTIAL.match(part):
        try:
            value, precision = parse_partial(part)
        except ValueError as exc:
            raise ValueError(f"“{whole}” is not a calendar date. {DATE_HELP}") from exc
        return value, precision, approximate
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _MONTH_YEAR):
        match = pattern.match(part)
        if match and match["m"].lower() in _MONTH_NAMES:
            year, month = int(match["y"]), _MONTH_NAMES[match["m"].lower()]
            try:
                if "d" in match.groupdict():
                    return dt.date(year, month, int(match["d"])), DatePrecision.DAY, approximate
                return dt.date(year, month, 1), DatePrecision.MONTH, approximate
            except ValueError as exc:
                raise ValueError(f"“{whole}” is not a calendar date ({exc}).") from exc
    if _VAGUE.search(part):
        raise ValueError(
            f"“{whole}” is too vague to store. Write the period it falls in: “c. 2025” for "
            "about a year, “Feb 2025” for a month, or a range such as “Jan 2025/Apr 2025”."
        )
    raise ValueError(f"“{whole}” is not a date we can read. {DATE_HELP}")
