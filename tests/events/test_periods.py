"""events.periods: the one period type and the one rule for filing events under periods."""

import datetime as dt

import pytest
from django.db.models import Count

from events import periods
from events.choices import DatePrecision
from events.models import Event
from events.periods import Period
from tests.factories import PublishedEventFactory

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


@pytest.mark.parametrize(
    ("start", "grain", "key", "label", "end", "edtf"),
    [
        (dt.date(2025, 2, 18), "day", "2025-02-18", "18 Feb 2025", "2025-02-18", "2025-02-18"),
        (
            dt.date(2025, 2, 17),
            "week",
            "2025-W08",
            "Week 8 of 2025",
            "2025-02-23",
            "2025-02-17/2025-02-23",
        ),
        (dt.date(2024, 2, 1), "month", "2024-02", "Feb 2024", "2024-02-29", "2024-02"),
        (
            dt.date(2025, 4, 1),
            "quarter",
            "2025-Q2",
            "Apr–Jun 2025",
            "2025-06-30",
            "2025-04-01/2025-06-30",
        ),
        (dt.date(2025, 1, 1), "year", "2025", "2025", "2025-12-31", "2025"),
    ],
)
def test_a_period_knows_its_key_label_end_and_edtf(start, grain, key, label, end, edtf):
    period = Period(start, grain)
    assert (period.key, period.label, period.end.isoformat(), period.edtf) == (
        key,
        label,
        end,
        edtf,
    )
    assert period.anchor == f"p-{key}"


def test_a_period_must_begin_its_grain():
    with pytest.raises(ValueError, match="does not begin a month"):
        Period(dt.date(2025, 2, 18), "month")
    with pytest.raises(ValueError, match="Unknown grain"):
        Period(dt.date(2025, 1, 1), "decade")


def test_iso_weeks_begin_on_monday_even_across_years():
    assert Period.of(dt.date(2025, 1, 1), DAY, "week") == Period(dt.date(2024, 12, 30), "week")
    assert Period(dt.date(2024, 12, 30), "week").key == "2025-W01"


@pytest.mark.parametrize(
    ("grain", "day_event", "month_event", "year_event"),
    [
        ("day", "2025-03-14", "2025-03", "2025"),
        ("week", "2025-W11", "2025-03", "2025"),
        ("month", "2025-03", "2025-03", "2025"),
        ("quarter", "2025-Q1", "2025-Q1", "2025"),
        ("year", "2025", "2025", "2025"),
    ],
)
def test_an_event_less_precise_than_the_grouping_gets_a_period_of_its_own_precision(
    grain, day_event, month_event, year_event
):
    assert Period.of(dt.date(2025, 3, 14), DAY, grain).key == day_event
    assert Period.of(dt.date(2025, 3, 1), MONTH, grain).key == month_event
    assert Period.of(dt.date(2025, 1, 1), YEAR, grain).key == year_event


def test_a_coarser_period_comes_before_the_finer_ones_beginning_the_same_day():
    found = sorted(
        [
            Period(dt.date(2025, 1, 2), "day"),
            Period(dt.date(2025, 1, 1), "day"),
            Period(dt.date(2025, 1, 1), "month"),
            Period(dt.date(2025, 1, 1), "year"),
            Period(dt.date(2024, 12, 1), "month"),
        ]
    )
    assert [p.key for p in found] == ["2024-12", "2025", "2025-01", "2025-01-01", "2025-01-02"]


def test_span_lists_every_period_between_two_days():
    keys = [p.key for p in periods.span(dt.date(2024, 11, 20), dt.date(2025, 2, 1), "month")]
    assert keys == ["2024-11", "2024-12", "2025-01", "2025-02"]


class Row:
    def __init__(self, name, day, precision):
        self.name, self.date_lower, self.start_precision = name, day, precision


def test_group_files_rows_in_time_order_and_keeps_their_order_within_a_period():
    rows = [
        Row("year", dt.date(2025, 1, 1), YEAR),
        Row("feb", dt.date(2025, 2, 1), MONTH),
        Row("feb-18", dt.date(2025, 2, 18), DAY),
        Row("feb-3", dt.date(2025, 2, 3), DAY),
    ]
    grouped = periods.group(rows, "day")
    assert [(p.key, [r.name for r in found]) for p, found in grouped.items()] == [
        ("2025", ["year"]),
        ("2025-02", ["feb"]),
        ("2025-02-03", ["feb-3"]),
        ("2025-02-18", ["feb-18"]),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("grain", periods.GRAINS)
def test_sql_files_events_under_the_same_periods_as_python(grain):
    dated = [
        (dt.date(2025, 3, 1), MONTH),  # a Saturday: its week began in February
        (dt.date(2025, 3, 14), DAY),
        (dt.date(2025, 1, 1), YEAR),
        (dt.date(2024, 12, 31), DAY),
        (dt.date(2025, 3, 31), DAY),
    ]
    for day, precision in dated:
        PublishedEventFactory(start_date=day, start_precision=precision)
    by_sql: dict = {}
    groups = (
        Event.objects.annotate(period=periods.period_start_expression(grain))
        .values("period", "start_precision")
        .annotate(count=Count("id"))
        .order_by()
    )
    for item in groups:
        begins = item["period"]
        begins = begins.date() if isinstance(begins, dt.datetime) else begins
        period = Period.of(begins, item["start_precision"], grain)
        by_sql[period] = by_sql.get(period, 0) + item["count"]
    by_python: dict = {}
    for day, precision in dated:
        period = Period.of(day, precision, grain)
        by_python[period] = by_python.get(period, 0) + 1
    assert by_sql == by_python
