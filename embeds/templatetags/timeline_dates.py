"""Template filters that render dates through events.dates, the one date helper."""

from django import template

from events import dates
from events.choices import DatePrecision

register = template.Library()


@register.filter
def day_date(value) -> str:
    """A plain (day-precision) date such as a post's start: "18 Feb 2025"."""
    return dates.display_date(value, DatePrecision.DAY) if value else ""


@register.filter
def datetime_attr(event) -> str:
    """An event's start for `<time datetime>`, in its own precision: 2025, 2025-02, 2025-02-18."""
    return dates.edtf_date(event.start_date, event.start_precision)
