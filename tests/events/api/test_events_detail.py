"""GET /api/v1/events/{slug}/: everything about one event, public only, cached, constant cost."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.choices import DatePrecision, EventStatus, ParticipantRole, VoteOption
from tests.factories import (
    AidMeasureFactory,
    CitationFactory,
    CountryVoteFactory,
    EventFactory,
    EventRelationFactory,
    ParticipationFactory,
    PersonFactory,
    PublishedEventFactory,
    RoleFactory,
    SourceFactory,
    StateFactory,
    VoteRecordFactory,
    event_type,
)

pytestmark = pytest.mark.django_db


def detail(client, slug: str, **headers):
    return client.get(f"/api/v1/events/{slug}/", headers=headers)


def test_detail_shows_dates_type_summary_and_history(client):
    PublishedEventFactory(
        slug="pause",
        title="Aid paused",
        summary="The **pause** <script>alert(1)</script> began.",
        start_date=dt.date(2025, 3, 1),
        start_precision=DatePrecision.MONTH,
        start_approximate=True,
    )

    data = detail(client, "pause").json()

    assert data["display_date"] == "c. Mar 2025"
    assert data["edtf"] == "2025-03~"
    assert data["start"] == {"date": "2025-03-01", "precision": "month", "approximate": True}
    assert (data["earliest"], data["latest"]) == ("2025-03-01", "2025-03-31")
    assert data["type"] == {"slug": "statement", "name": "Statement"}
    assert "<strong>pause</strong>" in data["summary_html"]
    assert "<script>" not in data["summary_html"]
    assert set(data["history"]) == {"created_at", "updated_at", "published_at", "version"}
    assert data["history"]["version"] == data["version"]


def test_participants_carry_the_post_held_on_the_event_date(client):
    event = PublishedEventFactory(slug="talks", start_date=dt.date(2025, 2, 18))
    person = PersonFactory(name="Marco Rubio", slug="marco-rubio")
    RoleFactory(
        person=person,
        title="Senator",
        start_date=dt.date(2011, 1, 3),
        end_date=dt.date(2025, 1, 20),
    )
    secretary = RoleFactory(
        person=person, title="Secretary of State", start_date=dt.date(2025, 1, 21)
    )
    ParticipationFactory(event=event, actor=person, role=ParticipantRole.INITIATOR)

    (participant,) = detail(client, "talks").json()["participants"]

    assert participant["role"] == "initiator"
    assert participant["actor"]["slug"] == "marco-rubio"
    assert [post["title"] for post in participant["posts"]] == ["Secretary of State"]
    assert participant["posts"][0]["organisation"]["slug"] == secretary.organisation.slug


def test_citations_votes_aid_and_related_events(client):
    record = VoteRecordFactory(
        event__status=EventStatus.PUBLISHED,
        event__slug="vote",
        event__published_at=dt.datetime(2025, 2, 24, tzinfo=dt.UTC),
    )
    event = record.event
    usa = StateFactory(name="United States", slug="usa-state", iso3="USA")
    CountryVoteFactory(vote_record=record, actor=usa, option=VoteOption.NO)
    CitationFactory(
        event=event,
        source=SourceFactory(url="https://un.example.org/a"),
        quote="Adopted by 93 votes",
        locator="p. 2",
    )
    AidMeasureFactory(event=event)
    EventRelationFactory(from_event=event, to_event=PublishedEventFactory(slug="earlier"))
    EventRelationFactory(from_event=event, to_event=EventFactory(slug="secret-draft"))

    data = detail(client, "vote").json()

    (citation,) = data["citations"]
    assert citation["quote"] == "Adopted by 93 votes"
    assert citation["locator"] == "p. 2"
    assert citation["stance"] == "supports"
    assert citation["source"]["url"] == "https://un.example.org/a"
    assert data["vote_record"]["counts"] == {"yes": 2, "no": 1, "abstain": 0, "non_voting": None}
    assert data["vote_record"]["votes"] == [
        {
            "actor": {"slug": "usa-state", "name": "United States", "kind": "state", "iso3": "USA"},
            "option": "no",
        }
    ]
    assert len(data["aid_measures"]) == 1
    assert [related["slug"] for related in data["related"]] == ["earlier"]


def test_a_retracted_event_shows_its_notice(client):
    PublishedEventFactory(
        slug="gone", status=EventStatus.RETRACTED, retraction_reason="Source withdrew the report."
    )
    data = detail(client, "gone").json()
    assert data["status"] == "retracted"
    assert data["retraction_reason"] == "Source withdrew the report."


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.IN_REVIEW])
def test_unpublished_and_unknown_events_are_404_json(client, status):
    EventFactory(slug="hidden", status=status)
    for slug in ("hidden", "no-such-event"):
        response = detail(client, slug)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]
    assert detail(client, "hidden", Accept="application/ld+json").status_code == 404


@pytest.mark.parametrize("slug", ["%C2%84", "a%00b", "semi;colon", "dot.exe"])
def test_malformed_slugs_are_404_json_too(client, slug):
    response = client.get(f"/api/v1/events/{slug}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_curators_see_drafts_in_detail(curator_client):
    EventFactory(slug="hidden")
    assert detail(curator_client, "hidden").status_code == 200


def test_detail_carries_a_versioned_etag_and_answers_304(client):
    event = PublishedEventFactory(slug="cached")
    first = detail(client, "cached")
    assert first["ETag"].startswith(f'W/"{event.version}.')
    assert first["Cache-Control"] == "public, max-age=60"
    assert "Last-Modified" in first

    again = detail(client, "cached", **{"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    since = detail(client, "cached", **{"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304

    event.title = "Changed"
    event.save()
    assert detail(client, "cached", **{"If-None-Match": first["ETag"]}).status_code == 200


def test_authenticated_reads_are_not_publicly_cacheable(curator_client):
    PublishedEventFactory(slug="mine")
    assert "private" in detail(curator_client, "mine")["Cache-Control"]


def _queries(client, slug: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert detail(client, slug).status_code == 200
    return len(captured.captured_queries)


def _fill(event, record, times: int) -> None:
    for _ in range(times):
        person = PersonFactory()
        RoleFactory(person=person)
        ParticipationFactory(event=event, actor=person)
        CitationFactory(event=event)
        CountryVoteFactory(vote_record=record)
        AidMeasureFactory(event=event)
        EventRelationFactory(from_event=event, to_event=PublishedEventFactory())


def test_detail_costs_the_same_queries_however_much_it_holds(client):
    small = PublishedEventFactory(slug="small", event_type=event_type("un-vote"))
    _fill(small, VoteRecordFactory(event=small), times=1)
    big = PublishedEventFactory(slug="big", event_type=event_type("un-vote"))
    _fill(big, VoteRecordFactory(event=big), times=6)

    assert _queries(client, "big") == _queries(client, "small")


@pytest.mark.parametrize("url", ["/api/v1/events/big/", "/api/v1/events/big/?format=jsonld"])
def test_detail_is_one_query_after_the_change_stamp_and_the_version(
    client, url, django_assert_max_num_queries
):
    big = PublishedEventFactory(slug="big", event_type=event_type("un-vote"))
    _fill(big, VoteRecordFactory(event=big), times=4)
    with django_assert_max_num_queries(3):
        assert client.get(url).status_code == 200


def test_writes_answer_the_detail_in_the_same_shape_as_reads(editor_client):
    event = EventFactory(slug="draft-one")
    CitationFactory(event=event)
    ParticipationFactory(event=event, actor=PersonFactory())
    read = detail(editor_client, "draft-one").json()

    published = editor_client.post("/api/v1/events/draft-one/publish/").json()

    assert set(published) == set(read)
    assert published["participants"] == read["participants"]
    assert published["status"] == "published"


def test_json_ld_by_format_and_by_accept(client):
    usa = StateFactory(name="United States", slug="usa-state", iso3="USA")
    event = PublishedEventFactory(
        slug="summit",
        title="Summit in Riyadh",
        location_country=usa,
        location_name="Riyadh",
        start_date=dt.date(2025, 2, 1),
        start_precision=DatePrecision.MONTH,
    )
    CitationFactory(
        event=event, source=SourceFactory(url=None, reference="print-1", kind="official_document")
    )
    # the US both initiates and votes: listed once, as organiser
    ParticipationFactory(event=event, actor=usa, role=ParticipantRole.INITIATOR)
    ParticipationFactory(event=event, actor=usa, role=ParticipantRole.VOTER)
    ParticipationFactory(event=event, actor=StateFactory(slug="host-city"))

    for response in (
        client.get("/api/v1/events/summit/?format=jsonld"),
        detail(client, "summit", Accept="application/ld+json"),
    ):
        assert response["Content-Type"] == "application/ld+json"
        data = response.json()
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "Event"
        assert data["name"] == "Summit in Riyadh"
        assert data["startDate"] == "2025-02"
        assert data["location"]["address"]["addressCountry"] == "US"
        kinds = sorted(work["@type"] for work in data["citation"])
        assert kinds == ["CreativeWork", "NewsArticle"]
        assert all("url" in w for w in data["citation"] if w["@type"] == "NewsArticle")
        assert not any("url" in w for w in data["citation"] if w["@type"] == "CreativeWork")
        assert [actor["identifier"] for actor in data["organizer"]] == ["usa-state"]
        assert [actor["identifier"] for actor in data["attendee"]] == ["host-city"]


def test_the_detail_extends_the_row_the_list_shows(client):
    event = PublishedEventFactory(slug="talks", start_date=dt.date(2025, 2, 18))
    ParticipationFactory(event=event, actor=StateFactory(name="Ukraine", iso3="UKR"))
    CitationFactory(event=event)

    row = client.get("/api/v1/events/").json()["results"][0]
    data = detail(client, "talks").json()

    assert {key: data[key] for key in row} == row
    assert data["actors"][0]["iso3"] == "UKR"
    assert len(data["sources"]) == len(data["citations"]) == 2  # the published one, and ours


def test_the_detail_loader_reads_values_as_the_models_hold_them():
    """The precompiled statement (timestamps as UTC wall clock, made aware) gives the values
    the model holds: timestamps with their instant and microseconds, dates, booleans."""
    from events.detail import load_event_detail
    from events.models import Event

    event = PublishedEventFactory(slug="read-back", start_approximate=True)
    VoteRecordFactory(event=event, roll_complete=True)
    stored = Event.objects.get(pk=event.pk)
    loaded = load_event_detail(Event.objects.public(), slug="read-back")
    for name in ("created_at", "published_at", "updated_at"):
        assert loaded.event[name] == getattr(stored, name)
        assert loaded.event[name].tzinfo is not None
    assert loaded.event["start_date"] == stored.start_date
    assert loaded.event["start_approximate"] is True
    assert loaded.vote["roll_complete"] is True
    assert load_event_detail(Event.objects.public(), slug="missing") is None
    assert load_event_detail(Event.objects.filter(status=EventStatus.DRAFT), pk=event.pk) is None
