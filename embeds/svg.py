"""Geometry for the SVG drawn by the templates: the agreement chart (the actor page's bar chart)
and the time axis above a timeline (`time_axis`, drawn by embeds/_axis.html)."""

import datetime as dt
from dataclasses import dataclass

from events.alignment import YearAgreement
from events.choices import DatePrecision

# SVG user units: the plot is PLOT high, with room above for values and below for years.
PLOT, TOP, BOTTOM, LEFT, BAR_WIDTH, BAR_GAP = 120, 14, 18, 36, 32, 14


def agreement_chart(rows: list[YearAgreement]) -> dict:
    """One bar per year, its height the share of votes cast alike (0–100 %)."""
    bars = []
    for index, row in enumerate(rows):
        height = round(row.percent / 100 * PLOT)
        x = LEFT + index * (BAR_WIDTH + BAR_GAP)
        bars.append(
            {
                "x": x,
                "y": TOP + PLOT - height,
                "height": height,
                "label_x": x + BAR_WIDTH // 2,
                "value_y": TOP + PLOT - height - 3,
                "row": row,
            }
        )
    return {
        "bars": bars,
        "bar_width": BAR_WIDTH,
        "axis_y": TOP + PLOT,
        "top_y": TOP + 4,
        "mid_y": TOP + PLOT // 2 + 4,
        "mid_line": TOP + PLOT // 2,
        "label_y": TOP + PLOT + BOTTOM - 4,
        "width": LEFT + max(len(rows), 1) * (BAR_WIDTH + BAR_GAP),
        "height": TOP + PLOT + BOTTOM,
        "left": LEFT,
    }


# The time axis above a timeline ---------------------------------------------------------------
# Events placed in proportion to time on one line: a day-precise event is a dot, an event known
# only to its month or year (or lasting several days) a span over its possible days. Dots closer
# than CLUSTER units merge into one numbered mark (linking to the first of them); spans go on
# lanes below the line so they never hide each other. Every mark is a link to its entry, in date
# order, so the keyboard reaches them in time order.

AXIS_WIDTH, AXIS_LEFT, AXIS_RIGHT = 600, 14, 14
LINE_Y, LANE_TOP, LANE_HEIGHT, MAX_LANES = 22, 36, 9, 4
CLUSTER, DOT_RADIUS = 9, 5
TICK_SPACE = 16  # below the last lane: tick labels


@dataclass(frozen=True)
class AxisEvent:
    """What the axis needs of an entry (events.rows.EventRow has all of it)."""

    slug: str
    title: str
    display_date: str
    first_day: dt.date
    last_day: dt.date
    is_point: bool  # known to the day, and a single day


def axis_event(row) -> AxisEvent:
    point = row.start_precision == DatePrecision.DAY and row.date_lower == row.date_upper
    return AxisEvent(row.slug, row.title, row.display_date, row.date_lower, row.date_upper, point)


def shows_axis(events: list[AxisEvent]) -> bool:
    """Only when it tells something: three events or more, over more than one day."""
    if len(events) < 3:
        return False
    return min(e.first_day for e in events) < max(e.last_day for e in events)


def _label(events: list[AxisEvent]) -> str:
    first = events[0]
    if len(events) == 1:
        return f"{first.title}, {first.display_date}"
    last = events[-1]
    when = (
        f"on {first.display_date}"
        if first.display_date == last.display_date
        else f"{first.display_date} to {last.display_date}"
    )
    return f"{len(events)} events {when}; the first: {first.title}"


def time_axis(events: list[AxisEvent]) -> dict | None:
    """The axis's geometry (None when it would carry no information)."""
    if not shows_axis(events):
        return None
    events = sorted(events, key=lambda e: (e.first_day, e.last_day, e.slug))
    start = min(e.first_day for e in events)
    end = max(e.last_day for e in events) + dt.timedelta(days=1)  # the last day's end
    days = (end - start).days
    usable = AXIS_WIDTH - AXIS_LEFT - AXIS_RIGHT

    def x(day: dt.date) -> float:
        return AXIS_LEFT + (day - start).days / days * usable

    marks: list[dict] = []
    lanes_end: list[float] = []  # per lane, where its last span ends
    cluster: list[AxisEvent] = []
    cluster_x: list[float] = []

    def flush():
        if not cluster:
            return
        centre = sum(cluster_x) / len(cluster_x)
        marks.append(
            {
                "kind": "dot" if len(cluster) == 1 else "cluster",
                "anchor": f"e-{cluster[0].slug}",
                "label": _label(cluster),
                "x": _n(centre),
                "count": len(cluster),
                "r": str(DOT_RADIUS if len(cluster) == 1 else DOT_RADIUS + 3),
                "order": cluster[0].first_day,
            }
        )
        cluster.clear()
        cluster_x.clear()

    for event in events:
        if event.is_point:
            centre = x(event.first_day) + usable / days / 2  # the middle of its day
            if cluster_x and centre - cluster_x[-1] > CLUSTER:
                flush()
            cluster.append(event)
            cluster_x.append(centre)
            continue
        left, right = x(event.first_day), x(event.last_day + dt.timedelta(days=1))
        lane = next((i for i, ends in enumerate(lanes_end) if ends + 2 <= left), None)
        if lane is None:
            lane = len(lanes_end) if len(lanes_end) < MAX_LANES else len(lanes_end) - 1
            if lane == len(lanes_end):
                lanes_end.append(0)
        lanes_end[lane] = max(lanes_end[lane], right)
        marks.append(
            {
                "kind": "span",
                "anchor": f"e-{event.slug}",
                "label": _label([event]),
                "x": _n(left),
                "width": _n(max(right - left, 3)),
                "y": str(LANE_TOP + lane * LANE_HEIGHT),
                "order": event.first_day,
            }
        )
    flush()
    marks.sort(key=lambda mark: (mark["order"], float(mark["x"])))  # document order = time
    lanes = max(len(lanes_end), 0)
    tick_y = LANE_TOP + lanes * LANE_HEIGHT + TICK_SPACE - 4 if lanes else LINE_Y + 22
    return {
        "width": AXIS_WIDTH,
        "height": tick_y + 4,
        "line_y": str(LINE_Y),
        "line_from": str(AXIS_LEFT),
        "line_to": str(AXIS_WIDTH - AXIS_RIGHT),
        "marks": marks,
        "ticks": _ticks(start, end, x, tick_y),
        "first": events[0].display_date,
        "last": max(events, key=lambda e: e.last_day).display_date,
        "total": len(events),
        "span_height": str(LANE_HEIGHT - 3),
    }


def _n(value: float) -> str:
    return str(round(value, 1))


def _ticks(start: dt.date, end: dt.date, x, y: int) -> list[dict]:
    """Tick marks at years (long spans), months, or weeks, labelled without crowding."""
    days = (end - start).days
    ticks: list[dict] = []
    if days > 3 * 366:
        day = dt.date(start.year + (start.month > 1 or start.day > 1), 1, 1)
        while day < end:
            ticks.append({"day": day, "text": str(day.year)})
            day = dt.date(day.year + 1, 1, 1)
    elif days > 62:
        day = dt.date(start.year, start.month, 1)
        if day < start:
            day = _next_month(day)
        while day < end:
            text = (
                f"{MONTHS[day.month - 1]} {day.year}"
                if day.month == 1 or not ticks
                else (MONTHS[day.month - 1])
            )
            ticks.append({"day": day, "text": text})
            day = _next_month(day)
    else:
        day = start
        while day < end:
            ticks.append({"day": day, "text": f"{day.day} {MONTHS[day.month - 1]}"})
            day += dt.timedelta(days=7)
    # Thin the labels so they never overlap (about 48 units a label).
    every = max(1, round(len(ticks) * 48 / AXIS_WIDTH + 0.49))
    return [
        {"x": _n(x(tick["day"])), "y": str(y), "text": tick["text"] if i % every == 0 else ""}
        for i, tick in enumerate(ticks)
    ]


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
