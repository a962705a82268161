"""Facets and period counts of a filtered set of events: the one aggregate read.

The API's grouped timeline (`/api/v1/timeline/`) and the public events page (`/events/`) show
the same counts: per period by the rule of `events.periods` (`period_start_expression` and the
start precision, so a period's count and its listed events agree), the covered range, and the
facets (types and the most frequent actors, each with its number of events). They come from
aggregate queries over the filtered set, so they stay true when the events listed are capped or
paged, and are cached per change stamp and query, so a repeated request costs only its rows.
"""

import datetime as dt
import hashlib

from django.core.cache import cache
from django.db.models import Count, Max, Min

from events import periods
from events.lru import LRUStore
from events.models import Participation
from events.periods import Period

FACET_ACTORS = 20

# The aggregates this process read last, as they are: the default cache unpickles them on every
# read (about a thousand periods for eighty years by month: a millisecond of a grouped
# timeline's request). Keyed like the cache, by the change stamp, so never stale; readers must
# not change what they get. About 100 KB an entry at most.
recent = LRUStore(max_entries=64)


def aggregate_key(stamp_token: str, grouping: str, query_items) -> str:
    """The cache key's text: the public data version, the grain and the filters (sorted)."""
    return f"{stamp_token}|{grouping}|{sorted(query_items)}"


def aggregates(queryset, group_by: str, cache_key: str) -> dict:
    """Period counts, range and facets of the filtered set (ordering and rank do not matter)."""
    # "ordered:" since the result carries `ordered`: a shared cache (Redis) may still hold
    # the results of the releases before.
    digest = hashlib.blake2b(cache_key.encode(), digest_size=16).hexdigest()
    key = f"timeline-aggregates:ordered:{digest}"
    found = recent.get(key)
    if found is not None:
        return found
    found = cache.get(key)  # another process's, or this one's before `recent` dropped it
    if found is not None:
        recent.set(key, found)
        return found
    plain = queryset.order_by()
    by_period = (
        plain.annotate(period=periods.period_start_expression(group_by))
        .values("period", "start_precision")
        .annotate(count=Count("id"), first=Min("date_lower"), last=Max("date_upper"))
        .order_by()
    )
    counts: dict[Period, int] = {}
    start = end = None
    for item in by_period:
        begins = item["period"]
        if isinstance(begins, dt.datetime):  # some backends truncate dates to datetimes
            begins = begins.date()
        period = Period.of(begins, item["start_precision"], group_by)
        counts[period] = counts.get(period, 0) + item["count"]
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
        "ordered": ordered_periods(counts),
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
    recent.set(key, result)
    return result


def ordered_periods(counts: dict[Period, int]) -> list[tuple]:
    """The periods in order, each as (period, key, first day, last day, count), the days in
    ISO form: what the grouped timeline writes of every period, written once per aggregate."""
    return [
        (period, period.key, period.start.isoformat(), period.end.isoformat(), counts[period])
        for period in sorted(counts, key=lambda period: period.sort_key)
    ]
