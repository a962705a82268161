"""The grouped timeline: event rows filed under periods by the rule of `events.periods`.

Counts per period, the covered range and the facets come from `events.facets` (aggregate
queries over the filtered set, shared with the public events page); the events themselves come
from one capped batch of rows, filed here under the same periods as the counts.
"""

from events import periods
from events.api.rows import row_json
from events.periods import Period
from events.rows import EventRow

GROUP_BY_CHOICES = periods.GRAINS


def group_rows(
    rows: list[EventRow], counts: dict[Period, int], group_by: str, url_prefix: str
) -> list[dict]:
    """Periods in order, each with its count and the listed rows filed under it."""
    listed = periods.group(rows, group_by)
    every = sorted(counts.keys() | listed.keys(), key=lambda period: period.sort_key)
    return [
        {
            "period": period.key,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "count": counts.get(period, len(listed.get(period, ()))),
            "events": [row_json(row, url_prefix) for row in listed.get(period, ())],
        }
        for period in every
    ]
