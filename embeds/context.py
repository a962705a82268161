"""Context builders: events grouped by period, the density strip, filter chips.

Dates are only ever shown through events.dates: a group heading is "Feb 2025" or "2025", never
a made-up first of the month; an event dated only to a year is grouped under its year.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from events import dates
from events.choices import DatePrecision

# The strip's geometry, in SVG user units: a fixed width, scaled to the container by CSS.
STRIP_WIDTH, STRIP_HEIGHT, MAX_BAR_WIDTH = 600, 40, 40
LABEL_HEIGHT, MIN_LABELLED_BAR = 14, 22  # bars this wide get a label ("Feb", "2025") below


@dataclass
class Period:
    """A heading of the timeline (a month, or a year) and its events."""

    year: int
    month: int  # 0: the whole year
    events: list = field(default_factory=list)

    @property
    def precision(self) -> str:
        return DatePrecision.YEAR if self.month == 0 else DatePrecision.MONTH

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, 1)

    @property
    def label(self) -> str:
        return dates.display_date(self.first_day, self.precision)

    @property
    def edtf(self) -> str:
        return dates.edtf_date(self.first_day, self.precision)

    @property
    def anchor(self) -> str:
        return f"p-{self.edtf}"


def period_key(event, grouping: str) -> tuple[int, int]:
    if grouping == "year" or event.start_precision == DatePrecision.YEAR:
        return (event.start_date.year, 0)
    return (event.start_date.year, event.start_date.month)


def entry_captions(timeline) -> dict[int, str]:
    """A curated timeline's captions by event id (“Sign 1: …”), in one query."""
    return dict(timeline.entries.exclude(caption="").values_list("event_id", "caption"))


def group_events(events, grouping: str = "month") -> list[Period]:
    """Periods in time order; within one, events keep the order they came in (by date)."""
    periods: dict[tuple[int, int], Period] = {}
    for event in events:
        key = period_key(event, grouping)
        if key not in periods:
            periods[key] = Period(*key)
        periods[key].events.append(event)
    return [periods[key] for key in sorted(periods)]


def density_strip(periods: list[Period], grouping: str = "month") -> dict:
    """Bars for the SVG strip: every period from the first to the last, empty ones included."""
    if not periods:
        return {"bars": [], "width": 0, "height": STRIP_HEIGHT}
    counts = {(p.year, p.month): len(p.events) for p in periods}
    first, last = min(counts), max(counts)
    keys = []
    for year in range(first[0], last[0] + 1):
        if (year, 0) in counts or grouping == "year":
            keys.append((year, 0))
        if grouping == "month":
            low = first[1] if year == first[0] and first[1] else 1
            high = last[1] if year == last[0] else 12
            keys.extend((year, month) for month in range(max(low, 1), high + 1))
    top = max(counts.values())
    gap = 3 if len(keys) < 60 else 1
    bar_width = min(MAX_BAR_WIDTH, (STRIP_WIDTH - gap * (len(keys) - 1)) / len(keys))
    # Coordinates are strings: SVG wants plain decimals, and a long strip (one bar a month over
    # decades) would otherwise pay the template's number localisation a thousand times.
    bars = []
    for index, key in enumerate(keys):
        count = counts.get(key, 0)
        period = Period(*key)
        height = max(3, round(count / top * (STRIP_HEIGHT - 4))) if count else 1
        bars.append(
            {
                "x": str(round(index * (bar_width + gap), 2)),
                "y": str(STRIP_HEIGHT - height),
                "height": str(height),
                "count": count,
                "label": period.label,
                "title": f"{period.label}: {count} event{'' if count == 1 else 's'}",
                "anchor": period.anchor,
                # "Feb 2025" -> "Feb"; a whole-year bar keeps "2025".
                "short": period.label.split(" ")[0],
                "label_x": str(round(index * (bar_width + gap) + bar_width / 2, 2)),
            }
        )
    labelled = bar_width >= MIN_LABELLED_BAR
    return {
        "bars": bars,
        "width": STRIP_WIDTH,
        "height": STRIP_HEIGHT + (LABEL_HEIGHT if labelled else 0),
        "labelled": labelled,
        "label_y": str(STRIP_HEIGHT + LABEL_HEIGHT - 3),
        "bar_width": str(round(bar_width, 2)),
        "first": bars[0]["label"],
        "last": bars[-1]["label"],
        "total": sum(counts.values()),
        "busiest": max(bars, key=lambda bar: bar["count"]),
    }


def chips(rows) -> dict:
    """Filter chips: the actors and types present, most frequent first."""
    actors, types = Counter(), Counter()
    actor_by_slug, type_by_slug = {}, {}
    for row in rows:
        for actor in row.actors:
            actors[actor.slug] += 1
            actor_by_slug[actor.slug] = actor
        types[row.type_slug] += 1
        type_by_slug[row.type_slug] = {"slug": row.type_slug, "name": row.type_name}
    return {
        "actors": [actor_by_slug[slug] for slug, _ in actors.most_common(12)],
        "types": [type_by_slug[slug] for slug, _ in types.most_common(8)],
    }
