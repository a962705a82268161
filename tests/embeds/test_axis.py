"""The time axis's geometry (embeds.svg.time_axis): proportional, clustered, honest about
precision, and absent where it would tell nothing."""

import datetime as dt

from embeds.svg import AXIS_LEFT, AXIS_RIGHT, AXIS_WIDTH, AxisEvent, shows_axis, time_axis


def day(slug: str, date: dt.date) -> AxisEvent:
    return AxisEvent(slug, slug.title(), f"{date:%d %b %Y}", date, date, True)


def month(slug: str, first: dt.date, last: dt.date) -> AxisEvent:
    return AxisEvent(slug, slug.title(), f"{first:%b %Y}", first, last, False)


def test_it_needs_three_events_over_more_than_a_day():
    one_day = dt.date(2025, 2, 18)
    assert not shows_axis([day("a", one_day), day("b", dt.date(2025, 3, 1))])
    assert not shows_axis([day(slug, one_day) for slug in "abc"])
    assert shows_axis([day("a", one_day), day("b", one_day), day("c", dt.date(2025, 3, 1))])
    assert time_axis([day("a", one_day)]) is None


def test_marks_sit_in_proportion_to_time_and_in_date_order():
    events = [
        day("c", dt.date(2025, 1, 31)),
        day("a", dt.date(2025, 1, 1)),
        day("b", dt.date(2025, 1, 16)),
    ]
    axis = time_axis(events)
    xs = [float(mark["x"]) for mark in axis["marks"]]
    assert [mark["anchor"] for mark in axis["marks"]] == ["e-a", "e-b", "e-c"]
    usable = AXIS_WIDTH - AXIS_LEFT - AXIS_RIGHT
    assert abs((xs[1] - xs[0]) - 15 / 31 * usable) < 0.2
    assert abs((xs[2] - xs[1]) - 15 / 31 * usable) < 0.2


def test_close_events_cluster_into_one_numbered_mark():
    events = [day(f"e{i}", dt.date(2025, 1, 1) + dt.timedelta(i)) for i in range(3)]
    events.append(day("late", dt.date(2026, 1, 1)))
    axis = time_axis(events)
    kinds = [(mark["kind"], mark.get("count")) for mark in axis["marks"]]
    assert kinds == [("cluster", 3), ("dot", 1)]
    assert axis["marks"][0]["anchor"] == "e-e0"
    assert axis["marks"][0]["label"].startswith("3 events 01 Jan 2025 to 03 Jan 2025")


def test_month_precision_is_a_span_over_the_month_on_its_own_lane():
    feb = month("feb", dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    overlapping = month("also-feb", dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    events = [day("jan", dt.date(2025, 1, 1)), feb, overlapping, day("mar", dt.date(2025, 3, 31))]
    spans = [mark for mark in time_axis(events)["marks"] if mark["kind"] == "span"]
    assert len(spans) == 2
    assert spans[0]["y"] != spans[1]["y"]  # never on top of each other
    width = float(spans[0]["width"])
    usable = AXIS_WIDTH - AXIS_LEFT - AXIS_RIGHT
    assert abs(width - 28 / 90 * usable) < 0.5  # 28 of the 90 days shown
