"""Reading the cells people type: numbers, dates, formulas. Each helper returns a value or
raises CellError with a message that says what to fix."""

import calendar
import datetime as dt

from events.choices import DatePrecision
from events.imports.report import Report

# A cell starting with one of these would be run as a formula by a spreadsheet.
FORMULA_PREFIXES = ("=",)


class CellError(ValueError):
    """A cell that cannot be read; `column` says which, when the helper knows."""

    def __init__(self, message: str, column: str = ""):
        super().__init__(message)
        self.column = column


def text(row: dict, column: str, report: Report, number: int) -> str:
    """A text cell; a formula (`=…`) is kept as its text, never evaluated, and noted."""
    value = row.get(column, "").strip()
    if value.startswith(FORMULA_PREFIXES):
        report.note(
            f"Row {number}, {column}: “{value[:40]}” looks like a formula; it was not "
            "evaluated and is imported as text."
        )
    return value


def integer(value: str, column: str, *, low: int, high: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        if value.strip().startswith("="):
            raise CellError(
                f"“{value}” is a formula; formulas are never evaluated. Type the number itself.",
                column,
            ) from None
        raise CellError(f"“{value}” is not a whole number.", column) from None
    if not low <= number <= high:
        raise CellError(f"{number} is out of range: {column} is {low} to {high}.", column)
    return number


def partial_date(year: str, month: str, day: str, *, label: str = "") -> tuple[dt.date, str] | None:
    """(date, precision) from year/month/day cells; no day is month precision, no month year
    precision (stored as the 1st, never shown as a day). None when the year is empty."""
    if not year.strip():
        if month.strip() or day.strip():
            raise CellError("A month or day without a year: add the year.", f"{label}Year")
        return None
    y = integer(year, f"{label}Year", low=1, high=9999)
    if not month.strip():
        if day.strip():
            raise CellError(
                "A day without a month: add the month or remove the day.", f"{label}Month"
            )
        return dt.date(y, 1, 1), DatePrecision.YEAR
    m = integer(month, f"{label}Month", low=1, high=12)
    if not day.strip():
        return dt.date(y, m, 1), DatePrecision.MONTH
    d = integer(day, f"{label}Day", low=1, high=31)
    last = calendar.monthrange(y, m)[1]
    if d > last:
        raise CellError(
            f"{y:04d}-{m:02d}-{d:02d} is not a date: {calendar.month_name[m]} {y} has {last} days.",
            f"{label}Day",
        )
    return dt.date(y, m, d), DatePrecision.DAY


def iso_date(value: str) -> dt.date:
    """A full date written YYYY-MM-DD (a time after it is ignored)."""
    value = value.strip()[:10]
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        parts = value.split("-")
        if len(parts) == 3 and all(part.isdigit() for part in parts):
            y, m, d = (int(part) for part in parts)
            if 1 <= m <= 12 and d > 0:
                last = calendar.monthrange(y, m)[1]
                raise CellError(
                    f"{value} is not a date: {calendar.month_name[m]} {y} has {last} days."
                ) from None
        raise CellError(f"“{value}” is not a date; write it as YYYY-MM-DD.") from None


def edtf_date(value: str) -> tuple[dt.date, str]:
    """`2025-02-18`, `2025-02` or `2025` (Timeline's own CSV): (date, precision)."""
    value = value.strip()
    parts = value.split("-")
    if not value or not all(part.isdigit() for part in parts) or len(parts) > 3:
        raise CellError(f"“{value}” is not a date; write YYYY-MM-DD, YYYY-MM or YYYY.")
    return partial_date(*[*parts, "", ""][:3])
