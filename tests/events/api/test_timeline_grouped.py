"""GET /api/v1/timeline/: events grouped by period, with facets, range and a capped list."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.choices import DatePrecision
from tests.factories import (
    CitationFactory,
    EventFactory,
    ParticipationFactory,
    PublishedEventFactory,
    StateFactory,
    event_type,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/timeline/"


@pytest.fixture
def usa():
    return StateFactory(name="United States", slug="united-states", iso3="USA")


@pytest.fixture
def spread(usa):
    """Four US events over early 2025 and a summit without the US; one draft."""
    dated = [
        ("feb-18", dt.date(2025, 2, 18), DatePrecision.DAY, "statement"),
        ("feb-19", dt.date(2025, 2, 19), DatePrecision.DAY, "summit"),
        ("march", dt.date(2025, 3, 1), DatePrecision.MONTH, "statement"),
        ("apr-02", dt.date(2025, 4, 2), DatePrecision.DAY, "sanctions"),
    ]
    for slug, day, precision, kind in dated:
        event = PublishedEventFactory(
            slug=slug, start_date=day, start_precision=precision, event_type=event_type(kind)
        )
        ParticipationFactory(event=event, actor=usa)
    PublishedEventFactory(
        slug="no-us", start_date=dt.date(2025, 2, 20), event_type=event_type("summit")
    )
    draft = EventFactory(slug="draft", start_date=dt.date(2025, 2, 18))
    ParticipationFactory(event=draft, actor=usa)


def get(client, query: str = ""):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_events_are_grouped_by_month_by_default(client, spread):
    data = get(client, "actor=usa")

    assert data["group_by"] == "month"
    assert data["truncated"] is False
    assert data["range"] == {"start": "2025-02-18", "end": "2025-04-02"}
    periods = {p["period"]: p for p in data["periods"]}
    assert list(periods) == ["2025-02", "2025-03", "2025-04"]
    assert periods["2025-02"]["start"] == "2025-02-01"
    assert periods["2025-02"]["end"] == "2025-02-28"
    assert periods["2025-02"]["count"] == 2
    assert [e["slug"] for e in periods["2025-02"]["events"]] == ["feb-18", "feb-19"]


@pytest.mark.parametrize(
    ("group_by", "labels"),
    [
        # "march" is dated to the month: finer groupings file it under its month, never a day.
        ("day", ["2025-02-18", "2025-02-19", "2025-03", "2025-04-02"]),
        ("week", ["2025-W08", "2025-03", "2025-W14"]),
        ("quarter", ["2025-Q1", "2025-Q2"]),
        ("year", ["2025"]),
    ],
)
def test_every_grouping_labels_its_periods(client, spread, group_by, labels):
    data = get(client, f"actor=usa&group_by={group_by}")
    assert [p["period"] for p in data["periods"]] == labels
    assert sum(p["count"] for p in data["periods"]) == 4


def test_iso_weeks_run_monday_to_sunday(client, spread):
    week = get(client, "actor=usa&group_by=week")["periods"][0]
    assert (week["period"], week["start"], week["end"]) == ("2025-W08", "2025-02-17", "2025-02-23")


def test_facets_count_types_and_actors_of_the_filtered_set(client, spread, usa):
    data = get(client, "from=2025-02&to=2025-02")

    assert data["facets"]["types"] == [
        {"slug": "summit", "name": "Summit", "count": 2},
        {"slug": "statement", "name": "Statement", "count": 1},
    ]
    assert data["facets"]["actors"] == [
        {"slug": "united-states", "name": "United States", "count": 2}
    ]


def test_a_limit_caps_the_events_but_not_the_counts(client, spread):
    data = get(client, "actor=usa&limit=2")
    assert data["truncated"] is True
    assert sum(len(p["events"]) for p in data["periods"]) == 2
    assert sum(p["count"] for p in data["periods"]) == 4


def test_drafts_are_neither_listed_nor_counted(client, spread):
    data = get(client, "group_by=year")
    (year,) = data["periods"]
    assert year["count"] == 5
    assert "draft" not in [e["slug"] for e in year["events"]]


def test_bad_grouping_and_limits_are_400(client):
    response = client.get(URL, {"group_by": "decade"})
    assert response.status_code == 400
    assert "day, week, month, quarter, year" in response.json()["errors"]["group_by"][0]
    for limit in ("0", "2001", "many"):
        response = client.get(URL, {"limit": limit})
        assert response.status_code == 400
        assert "2000" in response.json()["errors"]["limit"][0]
    assert client.get(URL, {"actor": "atlantis"}).status_code == 400


def _queries(client, query: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        get(client, query)
    return len(captured.captured_queries)


def test_the_timeline_costs_the_same_queries_for_one_event_as_for_forty(client, usa):
    def add(index):
        event = PublishedEventFactory(start_date=dt.date(2000 + index % 25, 1 + index % 12, 1))
        ParticipationFactory(event=event, actor=usa)
        CitationFactory(event=event)

    add(0)
    one = _queries(client, "actor=usa&group_by=year")
    for index in range(1, 40):
        add(index)
    forty = _queries(client, "actor=usa&group_by=year")
    assert forty == one


def test_aggregates_are_reused_until_something_changes(client, spread):
    first = _queries(client, "group_by=year")
    second = _queries(client, "group_by=year&limit=10")
    assert second == first - 3  # periods, type facets and actor facets came from the cache
    PublishedEventFactory(slug="later", start_date=dt.date(2025, 5, 1))
    assert get(client, "group_by=year")["periods"][0]["count"] == 6


def test_aggregates_read_again_are_taken_from_the_process_as_they_are(client, spread):
    from django.core.cache import cache

    from events import facets

    get(client, "actor=usa")
    (key,) = list(facets.recent._entries)
    held = facets.recent.get(key)
    cache.clear()  # the shared cache no longer has them: the process still does
    with CaptureQueriesContext(connection) as queries:
        data = get(client, "actor=usa")
    assert facets.recent.get(key) is held
    assert not [query for query in queries if "COUNT(" in query["sql"].upper()]
    assert [p["count"] for p in data["periods"]] == [2, 1, 1]


def test_rows_of_a_period_the_counts_have_not_seen_still_get_their_period(spread):
    """A row read after its period's counts (a change between the two reads) is still shown,
    under its own period, counted as listed."""
    from events import facets, rows
    from events.api.grouping import group_rows
    from events.models import Event

    events = Event.objects.public().order_by("date_lower", "id")
    summary = facets.aggregates(events.filter(date_lower__lt=dt.date(2025, 4, 1)), "month", "x")
    listed = rows.event_rows(events, 10, posts=False)
    periods = group_rows(listed, summary, "month", "http://testserver/api/v1/events/")
    assert [(p["period"], p["count"], len(p["events"])) for p in periods] == [
        ("2025-02", 3, 3),
        ("2025-03", 1, 1),
        ("2025-04", 1, 1),
    ]
