"""GET /api/v1/events/: every filter, the combinations that matter, and the 400s."""

import datetime as dt

import pytest
from django.utils import timezone

from events.choices import DatePrecision, EventStatus, ParticipantRole, Verification
from tests.factories import (
    ParticipationFactory,
    PublishedEventFactory,
    StateFactory,
    TimelineEntryFactory,
    TimelineFactory,
    event_type,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/"


def slugs(client, query: str = "") -> list[str]:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def errors(client, query: str) -> dict:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()["errors"]


@pytest.fixture
def usa():
    return StateFactory(name="United States", slug="united-states", iso3="USA")


@pytest.fixture
def russia():
    return StateFactory(name="Russian Federation", slug="russia", iso3="RUS")


def test_actor_filter_accepts_slug_and_iso3_in_any_case(client, usa, russia):
    ParticipationFactory(event=PublishedEventFactory(slug="us-only"), actor=usa)
    ParticipationFactory(event=PublishedEventFactory(slug="ru-only"), actor=russia)

    assert slugs(client, "actor=united-states") == ["us-only"]
    assert slugs(client, "actor=usa") == ["us-only"]
    assert slugs(client, "actor=USA") == ["us-only"]
    assert slugs(client, "actor=uSa") == ["us-only"]


def test_actor_filter_accepts_a_name_or_alias_as_a_person_types_it(client, usa, russia):
    """The events page's actor box says a name works: it is the same filter as the API's."""
    russia.aliases = "Moscow\nthe Kremlin"
    russia.save()
    ParticipationFactory(event=PublishedEventFactory(slug="us-only"), actor=usa)
    ParticipationFactory(event=PublishedEventFactory(slug="ru-only"), actor=russia)

    assert slugs(client, "actor=United States") == ["us-only"]
    assert slugs(client, "actor=russian federation") == ["ru-only"]
    assert slugs(client, "actor=the Kremlin") == ["ru-only"]
    page = client.get("/events/?actor=United+States")
    assert page.status_code == 200 and "us-only" in page.content.decode()
    assert "Use an actor's slug, name or alias" in str(errors(client, "actor=Atlantis"))


def test_several_actors_match_any_by_default_and_all_on_request(client, usa, russia):
    both = PublishedEventFactory(slug="both", start_date=dt.date(2025, 2, 18))
    ParticipationFactory(event=both, actor=usa)
    ParticipationFactory(event=both, actor=russia)
    ParticipationFactory(
        event=PublishedEventFactory(slug="us-only", start_date=dt.date(2025, 3, 1)), actor=usa
    )

    assert slugs(client, "actor=usa&actor=rus") == ["both", "us-only"]
    assert slugs(client, "actor=usa,rus") == ["both", "us-only"]
    assert slugs(client, "actor=usa&actor=rus&actor_match=all") == ["both"]


def test_role_only_counts_actors_in_that_role(client, usa, russia):
    talks = PublishedEventFactory(slug="talks")
    ParticipationFactory(event=talks, actor=usa, role=ParticipantRole.INITIATOR)
    ParticipationFactory(event=talks, actor=russia, role=ParticipantRole.TARGET)

    assert slugs(client, "actor=usa&role=initiator") == ["talks"]
    assert slugs(client, "actor=usa&role=target") == []
    assert slugs(client, "role=target") == ["talks"]


def test_a_parent_type_includes_its_subtypes(client):
    PublishedEventFactory(slug="summit", event_type=event_type("summit"))
    PublishedEventFactory(slug="talks", event_type=event_type("bilateral-talks"))
    PublishedEventFactory(slug="statement", event_type=event_type("statement"))

    assert slugs(client, "type=diplomacy") == ["summit", "talks"]
    assert slugs(client, "type=summit") == ["summit"]
    assert slugs(client, "type=summit&type=statement") == ["summit", "statement"]


def test_dates_overlap_with_their_precision(client):
    PublishedEventFactory(slug="feb-18", start_date=dt.date(2025, 2, 18))
    PublishedEventFactory(
        slug="march", start_date=dt.date(2025, 3, 1), start_precision=DatePrecision.MONTH
    )
    PublishedEventFactory(slug="apr-02", start_date=dt.date(2025, 4, 2))
    PublishedEventFactory(
        slug="year-2024", start_date=dt.date(2024, 1, 1), start_precision=DatePrecision.YEAR
    )

    # "March 2025" may have happened on 15 March, so it matches from=2025-03-15.
    assert slugs(client, "from=2025-03-15") == ["march", "apr-02"]
    # to=2025-03 means up to 31 March: April is out, the month event is in.
    assert slugs(client, "to=2025-03") == ["year-2024", "feb-18", "march"]
    assert slugs(client, "from=2025&to=2025") == ["feb-18", "march", "apr-02"]
    assert slugs(client, "from=2024-06&to=2024-06") == ["year-2024"]


def test_a_long_event_that_began_well_before_from_still_matches(client):
    PublishedEventFactory(
        slug="long-war",
        start_date=dt.date(1990, 1, 1),
        start_precision=DatePrecision.YEAR,
        end_date=dt.date(2020, 1, 1),
        end_precision=DatePrecision.YEAR,
    )
    PublishedEventFactory(slug="old-day", start_date=dt.date(2000, 5, 5))
    PublishedEventFactory(slug="recent", start_date=dt.date(2019, 5, 5))

    assert slugs(client, "from=2019-06") == ["long-war"]
    assert slugs(client, "from=2019") == ["long-war", "recent"]
    assert slugs(client, "from=2000-05-05&to=2000-05-05") == ["long-war", "old-day"]


def test_country_and_verification_filters(client, usa):
    PublishedEventFactory(slug="in-usa", location_country=usa)
    PublishedEventFactory(slug="disputed", verification=Verification.DISPUTED)

    assert slugs(client, "country=USA") == ["in-usa"]
    assert slugs(client, "verification=disputed") == ["disputed"]


def test_timeline_filter_lists_a_curated_timelines_events(client):
    timeline = TimelineFactory(slug="riyadh-track")
    entry = TimelineEntryFactory(timeline=timeline, event__slug="in-timeline")
    PublishedEventFactory(slug="elsewhere")

    assert entry.event.status == EventStatus.PUBLISHED
    assert slugs(client, "timeline=riyadh-track") == ["in-timeline"]


def test_updated_since_returns_only_later_changes(client):
    old = PublishedEventFactory(slug="old")
    PublishedEventFactory(slug="new")
    type(old).objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()

    response = client.get(URL, {"updated_since": since})
    assert [row["slug"] for row in response.json()["results"]] == ["new"]


def test_orderings(client):
    PublishedEventFactory(slug="a", start_date=dt.date(2025, 1, 5), importance=2)
    PublishedEventFactory(slug="b", start_date=dt.date(2025, 1, 6), importance=5)
    PublishedEventFactory(slug="c", start_date=dt.date(2025, 1, 7), importance=2)

    assert slugs(client) == ["a", "b", "c"]
    assert slugs(client, "ordering=date") == ["a", "b", "c"]
    assert slugs(client, "ordering=-date") == ["c", "b", "a"]
    assert slugs(client, "ordering=-importance") == ["b", "a", "c"]
    assert slugs(client, "ordering=-updated") == ["c", "b", "a"]


def test_bad_parameters_are_400_with_a_message_per_field(client):
    assert "valid calendar date" in errors(client, "from=2025-13")["from"][0]
    assert "YYYY-MM" in errors(client, "to=March")["to"][0]
    assert "Unknown actor: nobody" in errors(client, "actor=nobody")["actor"][0]
    assert "Unknown event type: nope" in errors(client, "type=nope")["type"][0]
    assert "1 to 500" in errors(client, "page_size=501")["page_size"][0]
    assert "1 to 500" in errors(client, "page_size=0")["page_size"][0]
    assert "ordering" in errors(client, "ordering=title")
    assert "Invalid cursor" in errors(client, "cursor=not-a-cursor")["cursor"][0]
    assert "before" in errors(client, "from=2025-03&to=2025-02")["to"][0]
    assert "Unknown timeline" in errors(client, "timeline=nope")["timeline"][0]
    assert "relevance" in errors(client, "ordering=relevance")["ordering"][0]
    assert "Null characters" in errors(client, "actor=us%00a")["actor"][0]
    assert "Null characters" in errors(client, "q=a%00b")["q"][0]


def test_drafts_and_events_in_review_never_appear(client, usa):
    for status in (EventStatus.DRAFT, EventStatus.IN_REVIEW):
        hidden = PublishedEventFactory(status=status, slug=f"hidden-{status}")
        ParticipationFactory(event=hidden, actor=usa)
    PublishedEventFactory(slug="shown")

    assert slugs(client) == ["shown"]
    assert slugs(client, "actor=usa") == []


def test_retracted_events_stay_listed_with_their_reason(client):
    PublishedEventFactory(
        slug="withdrawn", status=EventStatus.RETRACTED, retraction_reason="Misattributed quote."
    )

    (row,) = client.get(URL).json()["results"]
    assert row["status"] == "retracted"
    assert row["retraction_reason"] == "Misattributed quote."


def test_only_curators_may_ask_for_drafts(client, curator_client):
    PublishedEventFactory(slug="draft", status=EventStatus.DRAFT)

    assert "curators" in errors(client, "status=draft")["status"][0]
    response = curator_client.get(URL, {"status": "draft"})
    assert [row["slug"] for row in response.json()["results"]] == ["draft"]
    assert (
        "Unknown status"
        in curator_client.get(URL, {"status": "gone"}).json()["errors"]["status"][0]
    )
