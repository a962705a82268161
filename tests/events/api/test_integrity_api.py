"""The invariants of tests/events/test_integrity.py through the API: the same rules, as 400 or
409 JSON with the message, and nothing written."""

import pytest
from django.test import Client

from events.choices import ActorKind, CitationStance, EventStatus, TimelineStatus
from events.models import Actor, Citation, Event, Source, Timeline, VoteRecord
from events.models.base import aggregate_root
from tests.events.api.resource_helpers import assert_json_error
from tests.factories import (
    ActorFactory,
    CitationFactory,
    EventFactory,
    PublishedEventFactory,
    SourceFactory,
    StateFactory,
    TimelineFactory,
    event_type,
)

pytestmark = pytest.mark.django_db


def if_match(obj) -> dict:
    """The If-Match of a client that has just read `obj` (for a part, its event: they share it)."""
    root = aggregate_root(type(obj)._base_manager.get(pk=obj.pk))
    return {"If-Match": f'W/"{type(root)._base_manager.get(pk=root.pk).version}"'}


def post(client, url, data=None, **headers):
    return client.post(url, data or {}, content_type="application/json", headers=headers)


def patch(client, url, data, **headers):
    return client.patch(url, data, content_type="application/json", headers=headers)


# --- the last supporting citation ----------------------------------------------------------


def test_deleting_the_last_supporting_citation_is_a_409(curator_client):
    event = PublishedEventFactory(title="Aid paused")
    citation = event.citations.get()

    response = curator_client.delete(
        f"/api/v1/citations/{citation.pk}/", headers=if_match(citation)
    )

    assert_json_error(response, 409, contains="“Aid paused” is published and this is its last")
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_downgrading_the_last_supporting_citation_is_a_400(curator_client):
    citation = PublishedEventFactory().citations.get()

    response = patch(
        curator_client,
        f"/api/v1/citations/{citation.pk}/",
        {"stance": "context"},
        **if_match(citation),
    )

    assert_json_error(response, 400, field="stance", contains="last citation with stance")
    assert Citation.objects.get(pk=citation.pk).stance == CitationStance.SUPPORTS


def test_a_supporting_citation_goes_once_another_supports_the_event(curator_client, editor_client):
    event = PublishedEventFactory()
    first = event.citations.get()
    CitationFactory(event=event)
    url = f"/api/v1/citations/{first.pk}/"
    # A curator's removal from a published event waits for an editor; an editor's is made.
    assert curator_client.delete(url, headers=if_match(first)).status_code == 202
    assert editor_client.delete(url, headers=if_match(first)).status_code == 204


# --- deleting: never what was published; curators only their own -------------------------


def test_a_curator_deletes_their_own_draft_but_not_someone_elses(curator_client, curator):
    mine = EventFactory(slug="mine", created_by=curator)
    EventFactory(slug="theirs")

    response = curator_client.delete("/api/v1/events/theirs/", headers=if_match(mine))
    assert_json_error(response, 403, contains="Curators delete only the events they created")
    assert curator_client.delete("/api/v1/events/mine/", headers=if_match(mine)).status_code == 204
    assert list(Event.objects.values_list("slug", flat=True)) == ["theirs"]


def test_an_event_created_through_the_api_is_its_curators_to_delete(curator_client):
    response = post(
        curator_client,
        "/api/v1/events/",
        {"title": "Typo", "slug": "typo", "type": "statement", "start_date": "2025-03-05"},
    )
    assert response.status_code == 201, response.content
    event = Event.objects.get(slug="typo")
    assert curator_client.delete("/api/v1/events/typo/", headers=if_match(event)).status_code == 204


def test_no_one_deletes_an_event_once_published(curator_client, curator, editor_client):
    event = EventFactory(
        slug="once", created_by=curator, status=EventStatus.DRAFT, published_at=None
    )
    Event.objects.filter(pk=event.pk).update(first_published_at="2025-03-01T00:00Z")
    for client in (curator_client, editor_client):
        response = client.delete("/api/v1/events/once/", headers=if_match(event))
        assert_json_error(response, 409, contains="has been published: it is never deleted")
    assert Event.objects.filter(slug="once").exists()


def test_a_curator_deletes_their_own_unused_actor_and_source(curator_client, curator):
    actor = ActorFactory(slug="mine", created_by=curator)
    source = SourceFactory(created_by=curator)
    assert curator_client.delete("/api/v1/actors/mine/", headers=if_match(actor)).status_code == 204
    response = curator_client.delete(f"/api/v1/sources/{source.pk}/", headers=if_match(source))
    assert response.status_code == 204
    assert not Actor.objects.filter(pk=actor.pk).exists()
    assert not Source.objects.filter(pk=source.pk).exists()


def test_a_curator_cannot_delete_actors_and_sources_of_others(curator_client):
    actor, source = ActorFactory(slug="theirs"), SourceFactory()
    response = curator_client.delete("/api/v1/actors/theirs/", headers=if_match(actor))
    assert_json_error(response, 403, contains="Curators delete only the actors they created")
    response = curator_client.delete(f"/api/v1/sources/{source.pk}/", headers=if_match(source))
    assert_json_error(response, 403, contains="Curators delete only the sources they created")


def test_a_curators_own_actor_in_use_is_a_409(curator_client, curator):
    actor = StateFactory(slug="mine", created_by=curator)
    TimelineFactory(title="Watch").query_actors.add(actor)
    response = curator_client.delete("/api/v1/actors/mine/", headers=if_match(actor))
    assert_json_error(response, 409, contains="used by the saved query of “Watch”")


# --- votes ----------------------------------------------------------------------------------


@pytest.fixture
def council():
    ActorFactory(
        slug="un-security-council",
        name="UN Security Council",
        kind=ActorKind.ORGAN,
        voting_members=15,
        votes_to_adopt=9,
        veto_members="CHN FRA GBR RUS USA",
    )
    StateFactory(slug="russia", iso3="RUS")
    return EventFactory(slug="council-vote", event_type=event_type("un-vote"))


def _vote(**changes):
    return {
        "event": "council-vote",
        "body": "un-security-council",
        "title": "A resolution",
        "result": "adopted",
        "yes_count": 10,
        "no_count": 0,
        "abstain_count": 5,
        **changes,
    }


def test_an_adoption_with_more_against_than_in_favour_is_a_400(editor_client, council):
    response = post(editor_client, "/api/v1/votes/", _vote(yes_count=2, no_count=9))
    assert_json_error(response, 400, field="result", contains="2 in favour and 9 against")
    assert not VoteRecord.objects.exists()


def test_a_council_adoption_below_nine_or_above_fifteen_is_a_400(editor_client, council):
    response = post(editor_client, "/api/v1/votes/", _vote(yes_count=8, abstain_count=7))
    assert_json_error(response, 400, field="yes_count", contains="at least 9 votes in favour")
    response = post(editor_client, "/api/v1/votes/", _vote(abstain_count=6))
    assert_json_error(response, 400, contains="add up to 16, more than the 15 members")
    assert not VoteRecord.objects.exists()


def test_a_permanent_member_against_an_adopted_text_is_a_400(editor_client, council):
    response = post(
        editor_client,
        "/api/v1/votes/",
        _vote(no_count=1, abstain_count=4, country_votes=[{"actor": "RUS", "option": "no"}]),
    )
    assert_json_error(response, 400, contains="RUS voted against")
    assert not VoteRecord.objects.exists()


def test_a_partial_roll_above_the_official_count_is_a_400(editor_client, council):
    StateFactory(iso3="CHN")
    response = post(
        editor_client,
        "/api/v1/votes/",
        _vote(
            result="vetoed",
            yes_count=9,
            no_count=1,
            country_votes=[{"actor": "RUS", "option": "no"}, {"actor": "CHN", "option": "no"}],
        ),
    )
    assert_json_error(response, 400, contains="Against: the roll has 2, more than")
    assert not VoteRecord.objects.exists()


# --- dates ----------------------------------------------------------------------------------


NEW_EVENT = {"title": "Typo", "slug": "typo", "type": "statement", "start_date": "0025-03-03"}


def test_an_unusual_year_is_a_400_until_confirmed(curator_client):
    response = post(curator_client, "/api/v1/events/", NEW_EVENT)
    assert_json_error(response, 400, field="start_date", contains="Year 0025 looks like a typo")
    assert not Event.objects.exists()

    response = post(curator_client, "/api/v1/events/", {**NEW_EVENT, "confirm_unusual_date": True})

    assert response.status_code == 201, response.content
    assert response.json()["display_date"] == "3 Mar 0025"
    assert "confirm_unusual_date" not in response.json()


def test_changing_a_date_to_an_unusual_year_is_a_400(curator_client):
    event = EventFactory(slug="aid")
    response = patch(
        curator_client, "/api/v1/events/aid/", {"start_date": "2052-01-01"}, **if_match(event)
    )
    assert_json_error(response, 400, field="start_date", contains="more than a year ahead")


# --- timelines ------------------------------------------------------------------------------


def test_publishing_a_timeline_is_for_editors(curator_client, editor_client):
    timeline = TimelineFactory(slug="signs", status=TimelineStatus.DRAFT)

    response = post(curator_client, "/api/v1/timelines/signs/publish/", **if_match(timeline))
    assert_json_error(response, 403, contains="Only editors may publish")
    assert Client().get("/api/v1/timelines/signs/").status_code == 404

    response = post(editor_client, "/api/v1/timelines/signs/publish/", **if_match(timeline))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    assert Client().get("/api/v1/timelines/signs/").status_code == 200

    timeline.refresh_from_db()
    response = post(editor_client, "/api/v1/timelines/signs/unpublish/", **if_match(timeline))
    assert response.json()["status"] == "draft"
    assert Timeline.objects.get(slug="signs").status == TimelineStatus.DRAFT


def test_the_status_of_a_timeline_is_not_written_directly(curator_client, editor_client):
    timeline = TimelineFactory(slug="signs", status=TimelineStatus.DRAFT)
    for client in (curator_client, editor_client):
        response = patch(
            client, "/api/v1/timelines/signs/", {"status": "published"}, **if_match(timeline)
        )
        assert_json_error(response, 400, field="status", contains="…/publish/")
    response = post(
        curator_client, "/api/v1/timelines/", {"slug": "new", "title": "New", "status": "published"}
    )
    assert_json_error(response, 400, field="status")
    assert Timeline.objects.get(slug="signs").status == TimelineStatus.DRAFT
    assert not Timeline.objects.filter(slug="new").exists()
