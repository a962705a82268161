"""Writes to actors, sources, votes and timelines: who may do what, with the admin's rules.

Anonymous clients read only; curators add and change; editors also delete. Token and session
authentication both work, and history records the API user.
"""

import datetime as dt

import pytest
from django.test import Client
from knox.models import AuthToken

from events import revisions
from events.choices import ActorKind, EventStatus, TimelineStatus
from events.models import Actor, Event, Source, Timeline, VoteRecord
from tests.events.api.resource_helpers import assert_json_error, if_match
from tests.factories import (
    ActorFactory,
    CitationFactory,
    EventFactory,
    ParticipationFactory,
    PublishedEventFactory,
    SourceFactory,
    StateFactory,
    TimelineFactory,
    VoteRecordFactory,
    event_type,
)

pytestmark = pytest.mark.django_db


def _vote_event(slug):
    return EventFactory(slug=slug, event_type=event_type("un-vote"), status=EventStatus.DRAFT)


@pytest.fixture
def objects():
    body = ActorFactory(slug="assembly", name="Assembly", kind=ActorKind.ORGAN)
    _vote_event("vote-event")
    return {
        "actor": ActorFactory(slug="spare-actor", name="Spare"),
        "source": SourceFactory(title="Spare source", url="https://example.org/spare"),
        "vote": VoteRecordFactory(event=_vote_event("old-vote"), body=body),
        # A draft: a curator's change to a published one waits for review (test_reviews.py).
        "timeline": TimelineFactory(slug="spare-timeline", status=TimelineStatus.DRAFT),
    }


# For each resource: a URL, a body that creates one, a change, and how to find what was made.
RESOURCES = {
    "actor": (
        "/api/v1/actors/",
        lambda o: {"slug": "new-actor", "name": "New actor", "kind": "ngo"},
        {"short_name": "Changed"},
        lambda o: (f"/api/v1/actors/{o['actor'].slug}/", o["actor"]),
    ),
    "source": (
        "/api/v1/sources/",
        lambda o: {"kind": "news_article", "title": "New", "url": "https://example.org/new"},
        {"publisher": "Changed"},
        lambda o: (f"/api/v1/sources/{o['source'].pk}/", o["source"]),
    ),
    "vote": (
        "/api/v1/votes/",
        lambda o: {
            "event": "vote-event",
            "body": "assembly",
            "title": "New",
            "result": "adopted",
            "yes_count": 1,
            "no_count": 0,
            "abstain_count": 0,
        },
        {"title": "Changed"},
        lambda o: (f"/api/v1/votes/{o['vote'].pk}/", o["vote"]),
    ),
    "timeline": (
        "/api/v1/timelines/",
        lambda o: {"slug": "new-timeline", "title": "New"},
        {"title": "Changed"},
        lambda o: (f"/api/v1/timelines/{o['timeline'].slug}/", o["timeline"]),
    ),
}

MATRIX = [
    # who, create, change, delete
    ("anonymous", 401, 401, 401),  # no credentials: 401 with WWW-Authenticate: Token
    ("curator", 201, 200, 403),
    ("editor", 201, 200, 204),
    ("superuser", 201, 200, 204),
]


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize(("who", "create", "change", "delete"), MATRIX)
def test_the_write_permission_matrix(request, objects, resource, who, create, change, delete):
    client = Client() if who == "anonymous" else request.getfixturevalue(f"{who}_client")
    url, new, patch, detail = RESOURCES[resource]
    response = client.post(url, new(objects), content_type="application/json")
    assert response.status_code == create, response.content
    detail_url, obj = detail(objects)
    response = client.patch(detail_url, patch, content_type="application/json", **if_match(obj))
    assert response.status_code == change, response.content
    response = client.delete(detail_url, **if_match(obj))
    assert response.status_code == delete, response.content
    if delete != 204:
        assert response.json()["detail"]


def test_a_token_authenticates_writes_and_history_records_the_api_user(curator):
    _, token = AuthToken.objects.create(user=curator)
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post(
        "/api/v1/actors/",
        {"slug": "new-actor", "name": "New", "kind": "state", "iso3": "FRA"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    actor = Actor.objects.get(slug="new-actor")
    assert actor.created_by == curator and actor.updated_by == curator
    assert revisions.latest(actor).user == curator
    client.patch(
        "/api/v1/actors/new-actor/",
        {"short_name": "Nouveau"},
        content_type="application/json",
        **if_match(actor),
    )
    assert [e.revision.user for e in revisions.history(actor)] == [curator, curator]


def test_history_records_the_api_user_for_sources_and_timelines(editor_client, editor):
    editor_client.post(
        "/api/v1/sources/",
        {"kind": "dataset", "title": "Data", "url": "https://example.org/data"},
        content_type="application/json",
    )
    editor_client.post(
        "/api/v1/timelines/", {"slug": "t", "title": "T"}, content_type="application/json"
    )
    assert revisions.latest(Source.objects.get(title="Data")).user == editor
    assert revisions.latest(Timeline.objects.get(slug="t")).user == editor


def test_validation_is_the_admins_model_validation(editor_client):
    response = editor_client.post(
        "/api/v1/actors/",
        {"slug": "ngo", "name": "An NGO", "kind": "ngo", "iso3": "FRA"},
        content_type="application/json",
    )
    assert_json_error(response, 400, field="iso3", contains="Only states carry an ISO 3166 code.")
    response = editor_client.post(
        "/api/v1/actors/",
        {"slug": "x", "name": "X", "kind": "state", "iso3": "usa"},
        content_type="application/json",
    )
    assert_json_error(response, 400, field="iso3", contains="three capital letters")


def test_a_duplicate_source_url_is_caught_after_normalisation(editor_client):
    SourceFactory(url="https://example.org/story")
    response = editor_client.post(
        "/api/v1/sources/",
        {
            "kind": "news_article",
            "title": "Same story",
            "url": "https://example.org/story?utm_source=feed#top",
        },
        content_type="application/json",
    )
    assert_json_error(response, 400, field="url", contains="already exists")


def test_the_http_form_of_a_recorded_https_source_is_a_duplicate(editor_client):
    SourceFactory(url="https://example.org/story")
    response = editor_client.post(
        "/api/v1/sources/",
        {"kind": "news_article", "title": "Same story", "url": "http://example.org/story"},
        content_type="application/json",
    )
    assert_json_error(response, 400, field="url", contains="already exists")


def test_a_duplicate_slug_is_a_400_on_the_field(editor_client):
    ActorFactory(slug="taken")
    response = editor_client.post(
        "/api/v1/actors/",
        {"slug": "taken", "name": "Taken", "kind": "ngo"},
        content_type="application/json",
    )
    assert_json_error(response, 400, field="slug", contains="already exists")


def test_deleting_an_actor_in_use_is_a_409_naming_the_events(editor_client):
    usa = StateFactory(name="United States", slug="united-states", iso3="USA")
    for index in range(5):
        ParticipationFactory(
            actor=usa,
            event=PublishedEventFactory(
                title=f"Event {index}", start_date=dt.date(2025, 1, index + 1)
            ),
        )
    message = assert_json_error(editor_client.delete("/api/v1/actors/usa/", **if_match(usa)), 409)
    assert message.startswith("“United States” is used by 5 events (“Event 0”, “Event 1”, ")
    assert "and 2 more" in message and "remove those references first" in message
    assert Actor.objects.filter(slug="united-states").exists()


def test_deleting_a_cited_source_is_a_409_naming_the_event(editor_client):
    citation = CitationFactory(event=EventFactory(title="The talks"))
    response = editor_client.delete(
        f"/api/v1/sources/{citation.source_id}/", **if_match(citation.source)
    )
    message = assert_json_error(response, 409)
    assert f"“{citation.source.title}” is used by 1 event (“The talks”)" in message


def test_a_curator_can_change_a_timelines_entries_in_order(curator_client):
    timeline = TimelineFactory(slug="t", status=TimelineStatus.DRAFT)
    _first, second = PublishedEventFactory(slug="first"), PublishedEventFactory(slug="second")
    response = curator_client.patch(
        "/api/v1/timelines/t/",
        {
            "entries": [
                {"event": "second", "caption": "Then"},
                {"event": "first", "position": 5, "caption": "Later"},
            ]
        },
        content_type="application/json",
        **if_match(timeline),
    )
    assert response.status_code == 200, response.content
    entries = response.json()["entries"]
    assert [(e["position"], e["event"]["slug"], e["caption"]) for e in entries] == [
        (0, "second", "Then"),
        (5, "first", "Later"),
    ]
    assert revisions.latest(timeline).user.username == "curator"
    assert second.pk in timeline.entries.values_list("event_id", flat=True)


def test_a_saved_query_timeline_takes_actors_and_types_but_no_entries(curator_client):
    StateFactory(slug="ukraine", iso3="UKR")
    response = curator_client.post(
        "/api/v1/timelines/",
        {
            "slug": "q",
            "title": "Q",
            "kind": "saved_query",
            "query_actors": ["ukr"],
            "query_types": ["un-vote"],
            "query_from": "2025-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["query"]["actors"] == ["ukraine"]
    assert response.json()["status"] == "draft"
    response = curator_client.patch(
        "/api/v1/timelines/q/",
        {"entries": [{"event": PublishedEventFactory().slug}]},
        content_type="application/json",
        **if_match(Timeline.objects.get(slug="q")),
    )
    assert_json_error(response, 400, field="entries", contains="Only curated timelines")


def test_a_timeline_period_that_ends_before_it_starts_is_a_400(curator_client):
    response = curator_client.post(
        "/api/v1/timelines/",
        {"slug": "q", "title": "Q", "query_from": "2025-02-01", "query_to": "2025-01-01"},
        content_type="application/json",
    )
    assert_json_error(response, 400, field="query_to", contains="before")


def test_deleting_a_vote_record_removes_its_roll(editor_client):
    record = VoteRecordFactory()
    response = editor_client.delete(f"/api/v1/votes/{record.pk}/", **if_match(record))
    assert response.status_code == 204
    assert not VoteRecord.objects.filter(pk=record.pk).exists()


PUBLISHING_MATRIX = [
    # who, publish a cited draft, unpublish, retract
    ("anonymous", 401, 401, 401),
    ("curator", 403, 403, 403),
    ("editor", 200, 200, 200),
    ("superuser", 200, 200, 200),
]


@pytest.mark.parametrize(("who", "publish", "unpublish", "retract"), PUBLISHING_MATRIX)
def test_the_publishing_permission_matrix(request, who, publish, unpublish, retract):
    client = Client() if who == "anonymous" else request.getfixturevalue(f"{who}_client")
    CitationFactory(event=EventFactory(slug="cited-draft"))
    PublishedEventFactory(slug="to-unpublish")
    PublishedEventFactory(slug="to-retract")
    base = "/api/v1/events/"
    answers = [
        client.post(f"{base}cited-draft/publish/"),
        client.post(f"{base}to-unpublish/unpublish/"),
        client.post(
            f"{base}to-retract/retract/",
            {"reason": "Misreported."},
            content_type="application/json",
        ),
    ]
    assert [a.status_code for a in answers] == [publish, unpublish, retract], [
        a.content for a in answers
    ]
    published = who in ("editor", "superuser")
    statuses = dict(Event.objects.values_list("slug", "status"))
    assert statuses["cited-draft"] == ("published" if published else "draft")
    assert statuses["to-retract"] == ("retracted" if published else "published")
