"""/api/v1/timelines/: published timelines; curated entries in order, saved queries computed."""

import datetime as dt

import pytest

from events.choices import EventStatus, TimelineKind, TimelineStatus
from tests.events.api.resource_helpers import assert_json_error, count_queries
from tests.factories import (
    EventFactory,
    ParticipationFactory,
    PublishedEventFactory,
    StateFactory,
    TimelineEntryFactory,
    TimelineFactory,
    event_type,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/timelines/"


@pytest.fixture
def curated():
    timeline = TimelineFactory(
        slug="shift", title="The shift", description="Five *signs*.", kind=TimelineKind.CURATED
    )
    late = PublishedEventFactory(slug="late", start_date=dt.date(2025, 3, 1))
    early = PublishedEventFactory(slug="early", start_date=dt.date(2025, 2, 1))
    hidden = EventFactory(slug="hidden", status=EventStatus.DRAFT)
    TimelineEntryFactory(timeline=timeline, event=late, position=1, caption="Second sign")
    TimelineEntryFactory(timeline=timeline, event=early, position=2, caption="Third sign")
    TimelineEntryFactory(timeline=timeline, event=hidden, position=0, caption="Not yet")
    return timeline


@pytest.fixture
def saved_query():
    usa = StateFactory(name="United States", slug="united-states", iso3="USA")
    timeline = TimelineFactory(
        slug="us-2025",
        title="US diplomacy in 2025",
        kind=TimelineKind.SAVED_QUERY,
        query_from=dt.date(2025, 1, 1),
        query_to=dt.date(2025, 12, 31),
    )
    timeline.query_actors.set([usa])
    timeline.query_types.set([event_type("statement")])
    for slug, day in [
        ("b", dt.date(2025, 5, 1)),
        ("a", dt.date(2025, 2, 1)),
        ("old", dt.date(2024, 5, 1)),
    ]:
        ParticipationFactory(event=PublishedEventFactory(slug=slug, start_date=day), actor=usa)
    ParticipationFactory(
        event=EventFactory(slug="draft", start_date=dt.date(2025, 3, 1)), actor=usa
    )
    ParticipationFactory(
        event=PublishedEventFactory(slug="a-vote", event_type=event_type("un-vote")), actor=usa
    )
    return timeline


def test_readers_see_published_timelines_by_title(client, curated, saved_query):
    TimelineFactory(slug="wip", title="A draft", status=TimelineStatus.DRAFT)
    rows = client.get(URL).json()["results"]
    assert [row["slug"] for row in rows] == ["shift", "us-2025"]
    assert rows[0]["url"].endswith("/api/v1/timelines/shift/")
    assert rows[0]["kind"] == "curated"


def test_curators_also_see_drafts(curator_client, curated):
    TimelineFactory(slug="wip", title="A draft", status=TimelineStatus.DRAFT)
    rows = curator_client.get(URL).json()["results"]
    assert {row["slug"] for row in rows} == {"shift", "wip"}


def test_a_draft_timeline_is_a_404_for_readers(client, curator_client):
    TimelineFactory(slug="wip", status=TimelineStatus.DRAFT)
    assert_json_error(client.get(f"{URL}wip/"), 404)
    assert curator_client.get(f"{URL}wip/").status_code == 200


def test_a_curated_timeline_lists_its_public_entries_by_position(client, curated):
    data = client.get(f"{URL}shift/").json()
    assert [(e["position"], e["caption"], e["event"]["slug"]) for e in data["entries"]] == [
        (1, "Second sign", "late"),
        (2, "Third sign", "early"),
    ]
    assert data["entries"][0]["event"]["display_date"] == "1 Mar 2025"
    assert data["description_html"] == "<p>Five <em>signs</em>.</p>\n"
    assert data["query"] is None
    assert data["entries_truncated"] is False
    assert data["events_url"].endswith("/api/v1/events/?timeline=shift")


def test_a_saved_query_timeline_computes_its_public_events_by_date(client, saved_query):
    data = client.get(f"{URL}us-2025/").json()
    assert [e["event"]["slug"] for e in data["entries"]] == ["a", "b"]
    assert [e["position"] for e in data["entries"]] == [0, 1]
    assert data["query"] == {
        "actors": ["united-states"],
        "types": ["statement"],
        "from_date": "2025-01-01",
        "to_date": "2025-12-31",
    }


def test_the_list_costs_the_same_queries_for_1_or_100_timelines(client):
    TimelineFactory()
    one = count_queries(client, URL)
    TimelineFactory.create_batch(99)
    assert count_queries(client, URL + "?page_size=200") == one


def test_the_detail_costs_the_same_queries_for_1_or_100_entries(client):
    timeline = TimelineFactory(slug="big")
    TimelineEntryFactory(timeline=timeline)
    one = count_queries(client, f"{URL}big/")
    TimelineEntryFactory.create_batch(99, timeline=timeline)
    assert count_queries(client, f"{URL}big/") == one
