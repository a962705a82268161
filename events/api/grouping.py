"""The grouped timeline: events bucketed by the period of their first possible day.

Counts per period, the covered range and the facets come from aggregate queries over the
filtered set (so they stay true when the events listed are capped at `limit`); the events
themselves come from one capped page of rows. Facet and period aggregates are cached per
change stamp and query, so a repeated timeline costs only its rows.
"""

import calendar
import datetime as dt
import functools
import hashlib

from django.core.cache import cache
from django.db.models import Count, Max, Min
from django.db.models.functions import TruncDay, TruncMonth, TruncQuarter, TruncWeek, TruncYear

from events.models import Participation

TRUNCATE = {
    "day": TruncDay,
    "week": TruncWeek,
    "month": TruncMonth,
    "quarter": TruncQuarter,
    "year": TruncYear,
}
GROUP_BY_CHOICES = tuple(TRUNCATE)
FACET_ACTORS = 20


# Pure, and called for every period of every grouped timeline (a thousand months over 80 years).
@functools.lru_cache(maxsize=16384)
def period_label(start: dt.date, group_by: str) -> str:
    """2025-02-18, 2025-W08 (ISO week), 2025-02, 2025-Q1 or 2025."""
    if group_by == "day":
        return start.isoformat()
    if group_by == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if group_by == "month":
        return f"{start.year}-{start.month:02d}"
    if group_by == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def period_start(day: dt.date, group_by: str) -> dt.date:
    if group_by == "day":
        return day
    if group_by == "week":
        return day - dt.timedelta(days=day.weekday())
    if group_by == "month":
        return day.replace(day=1)
    if group_by == "quarter":
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return dt.date(day.year, 1, 1)


@functools.lru_cache(maxsize=16384)
def period_end(start: dt.date, group_by: str) -> dt.date:
    if group_by == "day":
        return start
    if group_by == "week":
        return start + dt.timedelta(days=6)
    if group_by == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if group_by == "quarter":
        last_month = start.month + 2
        return dt.date(start.year, last_month, calendar.monthrange(start.year, last_month)[1])
    return dt.date(start.year, 12, 31)


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def aggregates(queryset, group_by: str, cache_key: str) -> dict:
    """Period counts, range and facets of the filtered set (ordering and rank do not matter)."""
    key = "timeline-aggregates:" + hashlib.blake2b(cache_key.encode(), digest_size=16).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    plain = queryset.order_by()
    periods = (
        plain.annotate(period=TRUNCATE[group_by]("date_lower"))
        .values("period")
        .annotate(count=Count("id"), first=Min("date_lower"), last=Max("date_upper"))
        .order_by("period")
    )
    counts = {}
    start = end = None
    for item in periods:
        begins = period_start(_as_date(item["period"]), group_by)
        counts[begins] = item["count"]
        start = item["first"] if start is None else min(start, item["first"])
        end = item["last"] if end is None else max(end, item["last"])
    types = (
        plain.values("event_type__slug", "event_type__name")
        .annotate(count=Count("id"))
        .order_by("-count", "event_type__name")
    )
    actors = (
        Participation.objects.filter(event__in=plain.values("id"))
        .values("actor__slug", "actor__name")
        .annotate(count=Count("event_id", distinct=True))
        .order_by("-count", "actor__name")[:FACET_ACTORS]
    )
    result = {
        "counts": counts,
        "range": {
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
        },
        "facets": {
            "types": [
                {"slug": t["event_type__slug"], "name": t["event_type__name"], "count": t["count"]}
                for t in types
            ],
            "actors": [
                {"slug": a["actor__slug"], "name": a["actor__name"], "count": a["count"]}
                for a in actors
            ],
        },
    }
    cache.set(key, result, timeout=300)
    return result


def group_rows(rows: list[dict], counts: dict[dt.date, int], group_by: str) -> list[dict]:
    """Periods in order, each with its count and the listed rows that begin in it."""
    by_period: dict[dt.date, list[dict]] = {start: [] for start in counts}
    for row in rows:
        begins = period_start(dt.date.fromisoformat(row["earliest"]), group_by)
        by_period.setdefault(begins, []).append(row)
    return [
        {
            "period": period_label(begins, group_by),
            "start": begins.isoformat(),
            "end": period_end(begins, group_by).isoformat(),
            "count": counts.get(begins, len(events)),
            "events": events,
        }
        for begins, events in sorted(by_period.items())
    ]
