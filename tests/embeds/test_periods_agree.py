"""The API's grouped timeline, the embeds and the timeline page file every event under the same
period (events.periods), at every grouping the embed offers."""

import datetime as dt
import re

import pytest

from embeds.options import GROUPINGS
from events.choices import DatePrecision
from tests.factories import PublishedEventFactory, TimelineEntryFactory, TimelineFactory

pytestmark = pytest.mark.django_db

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


@pytest.fixture
def dated():
    """Events of every precision, approximate ones and ranges, on a curated timeline."""
    timeline = TimelineFactory(slug="dated")
    specs = [
        ("a-day", dt.date(2025, 2, 18), DAY, False, None, ""),
        ("a-month", dt.date(2025, 3, 1), MONTH, False, None, ""),
        ("a-year", dt.date(2025, 1, 1), YEAR, False, None, ""),
        ("about-a-day", dt.date(2025, 3, 14), DAY, True, None, ""),
        ("about-a-year", dt.date(2024, 1, 1), YEAR, True, None, ""),
        ("days-across-months", dt.date(2025, 3, 30), DAY, False, dt.date(2025, 4, 2), DAY),
        ("months-across-years", dt.date(2024, 11, 1), MONTH, False, dt.date(2025, 2, 1), MONTH),
        ("new-year", dt.date(2025, 1, 1), DAY, False, None, ""),
    ]
    for slug, start, precision, approximate, end, end_precision in specs:
        event = PublishedEventFactory(
            slug=slug,
            start_date=start,
            start_precision=precision,
            start_approximate=approximate,
            end_date=end,
            end_precision=end_precision,
        )
        TimelineEntryFactory(timeline=timeline, event=event)
    return [spec[0] for spec in specs]


def api_periods(client, group_by: str) -> dict[str, str]:
    data = client.get("/api/v1/timeline/", {"group_by": group_by}).json()
    for period in data["periods"]:  # every listed event is counted in its own period
        assert period["count"] == len(period["events"])
    return {
        event["slug"]: period["period"] for period in data["periods"] for event in period["events"]
    }


def html_periods(client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    found = {}
    for chunk in response.content.decode().split('<li class="period" id="p-')[1:]:
        key = chunk.split('"', 1)[0]
        heading = re.search(r'<time datetime="([^"]+)">', chunk)[1]
        assert heading == key  # the heading's EDTF is the API's period
        for slug in re.findall(r'<li class="event[^"]*" id="e-([^"]+)"', chunk):
            found[slug] = key
    return found


@pytest.mark.parametrize("group", GROUPINGS)
@pytest.mark.parametrize(
    "url",
    [
        "/embed/timeline/?group={}",
        # a curated timeline has periods in date order (in its own order, captions instead)
        "/embed/timelines/dated/?order=date&group={}",
        "/timelines/dated/?order=date&group={}",
    ],
)
def test_the_api_and_every_page_give_each_event_the_same_period(client, dated, group, url):
    by_api = api_periods(client, group)
    assert sorted(by_api) == sorted(dated)
    assert html_periods(client, url.format(group)) == by_api


def test_under_months_a_year_precision_event_is_under_its_year_not_january(client, dated):
    by_api = api_periods(client, "month")
    assert by_api["a-year"] == "2025"
    assert by_api["about-a-year"] == "2024"
    assert by_api["new-year"] == "2025-01"
    assert by_api["months-across-years"] == "2024-11"  # a range is filed by its start


def test_under_days_a_month_precision_event_is_never_on_a_made_up_first(client, dated):
    data = client.get("/api/v1/timeline/", {"group_by": "day"}).json()
    keys = [period["period"] for period in data["periods"]]
    assert "2025-03-01" not in keys
    assert keys == [
        "2024",
        "2024-11",
        "2025",
        "2025-01-01",
        "2025-02-18",
        "2025-03",
        "2025-03-14",
        "2025-03-30",
    ]
    march = data["periods"][keys.index("2025-03")]
    assert (march["start"], march["end"]) == ("2025-03-01", "2025-03-31")


def test_counts_follow_the_same_rule_when_the_events_listed_are_capped(client, dated):
    full = client.get("/api/v1/timeline/", {"group_by": "week"}).json()["periods"]
    capped = client.get("/api/v1/timeline/", {"group_by": "week", "limit": 1}).json()["periods"]
    assert [(p["period"], p["count"]) for p in capped] == [(p["period"], p["count"]) for p in full]
