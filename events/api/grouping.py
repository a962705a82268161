"""The grouped timeline: event rows filed under periods by the rule of `events.periods`.

Counts per period, the covered range and the facets come from `events.facets` (aggregate
queries over the filtered set, shared with the public events page); the events themselves come
from one capped batch of rows, filed here under the same periods as the counts.
"""

from events import periods
from events.api.rows import rows_json
from events.facets import ordered_periods
from events.rows import EventRow

GROUP_BY_CHOICES = periods.GRAINS


def group_rows(rows: list[EventRow], summary: dict, group_by: str, url_prefix: str) -> list[dict]:
    """Periods in order, each with its count and the listed rows filed under it; `summary`:
    the filtered set's aggregates (`events.facets.aggregates`), whose periods come in order."""
    shaped = {id(row): data for row, data in zip(rows, rows_json(rows, url_prefix), strict=True)}
    listed = periods.group(rows, group_by)
    counts = summary["counts"]
    ordered = summary["ordered"]
    if not listed.keys() <= counts.keys():  # rows of a change the counts have not seen
        ordered = ordered_periods(
            {**{period: len(events) for period, events in listed.items()}, **counts}
        )
    return [
        {
            "period": key,
            "start": start,
            "end": end,
            "count": count,
            "events": [shaped[id(row)] for row in listed.get(period, ())],
        }
        for period, key, start, end, count in ordered
    ]
