"""Every API change of a versioned object says which version it changes: without If-Match or
`version` a 428 saying what to send, with a stale one a 412 (If-Match) or 409 (`version`).
Parts (participations, citations, votes) carry their event's version."""

import pytest

from events.models import Citation, Event, Participation, Source, Timeline
from tests.events.api.resource_helpers import assert_json_error, if_match
from tests.factories import (
    ActorFactory,
    CitationFactory,
    EventFactory,
    ParticipationFactory,
    PublishedEventFactory,
    SourceFactory,
    TimelineFactory,
    VoteRecordFactory,
    event_type,
)

pytestmark = pytest.mark.django_db

# Each resource: how to make one, its URL, a change, and the field that change touches.
RESOURCES = {
    "event": (
        lambda: EventFactory(title="Kept"),
        lambda o: f"/api/v1/events/{o.slug}/",
        {"title": "Lost"},
        "title",
    ),
    "participation": (
        lambda: ParticipationFactory(note="Kept"),
        lambda o: f"/api/v1/participations/{o.pk}/",
        {"note": "Lost"},
        "note",
    ),
    "citation": (
        lambda: CitationFactory(quote="Kept"),
        lambda o: f"/api/v1/citations/{o.pk}/",
        {"quote": "Lost"},
        "quote",
    ),
    "vote": (
        lambda: VoteRecordFactory(title="Kept"),
        lambda o: f"/api/v1/votes/{o.pk}/",
        {"title": "Lost"},
        "title",
    ),
    "timeline": (
        lambda: TimelineFactory(title="Kept"),
        lambda o: f"/api/v1/timelines/{o.slug}/",
        {"title": "Lost"},
        "title",
    ),
    "actor": (
        lambda: ActorFactory(short_name="Kept"),
        lambda o: f"/api/v1/actors/{o.slug}/",
        {"short_name": "Lost"},
        "short_name",
    ),
    "source": (
        lambda: SourceFactory(title="Kept"),
        lambda o: f"/api/v1/sources/{o.pk}/",
        {"title": "Lost"},
        "title",
    ),
}


def write(client, method: str, url: str, data=None, **headers):
    send = getattr(client, method.lower())
    return send(url, data, content_type="application/json", **headers)


def unchanged(obj, field: str) -> bool:
    stored = type(obj)._base_manager.filter(pk=obj.pk).first()
    return stored is not None and getattr(stored, field) == "Kept"


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("resource", RESOURCES)
def test_a_write_without_if_match_or_version_is_a_428_saying_what_to_send(
    editor_client, resource, method
):
    make, url, change, field = RESOURCES[resource]
    obj = make()

    response = write(editor_client, method, url(obj), change)

    message = assert_json_error(response, 428, contains="If-Match")
    assert "`version`" in message
    assert unchanged(obj, field)


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
@pytest.mark.parametrize("resource", RESOURCES)
def test_a_wrong_if_match_is_a_412_and_changes_nothing(editor_client, resource, method):
    make, url, change, field = RESOURCES[resource]
    obj = make()

    response = write(editor_client, method, url(obj), change, HTTP_IF_MATCH='W/"999"')

    assert_json_error(response, 412, contains="Someone changed it since you read it")
    assert unchanged(obj, field)


@pytest.mark.parametrize("resource", RESOURCES)
def test_the_current_version_lets_the_write_through_and_the_next_needs_the_new_one(
    editor_client, resource
):
    make, url, change, field = RESOURCES[resource]
    obj = make()
    read = if_match(obj)

    response = write(editor_client, "PATCH", url(obj), change, **read)
    assert response.status_code == 200, response.content
    assert response["ETag"] == if_match(obj)["HTTP_IF_MATCH"] != read["HTTP_IF_MATCH"]

    again = write(editor_client, "PATCH", url(obj), {field: "Again"}, **read)
    assert again.status_code == 412


def test_a_citation_is_changed_with_the_etag_of_its_events_detail(editor_client):
    """What a client does: read the event, then change one of its citations."""
    citation = CitationFactory(quote="Old", event=EventFactory(slug="talks"))
    etag = editor_client.get("/api/v1/events/talks/")["ETag"]
    url = f"/api/v1/citations/{citation.pk}/"

    first = write(editor_client, "PATCH", url, {"quote": "New"}, HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.content
    # The event moved with its citation: a client still holding the old tag is refused.
    stale = write(editor_client, "PATCH", url, {"quote": "Newer"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    stale = write(
        editor_client, "PATCH", "/api/v1/events/talks/", {"title": "X"}, HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert Citation.objects.get(pk=citation.pk).quote == "New"


def test_a_stale_body_version_of_a_part_is_a_409(editor_client):
    participation = ParticipationFactory(note="Kept")
    event = Event.objects.get(pk=participation.event_id)
    url = f"/api/v1/participations/{participation.pk}/"

    stale = write(editor_client, "PATCH", url, {"note": "Lost", "version": event.version - 1})
    assert_json_error(stale, 409, contains="changed by someone else")
    ok = write(editor_client, "PATCH", url, {"note": "Saved", "version": event.version})
    assert ok.status_code == 200, ok.content
    assert Participation.objects.get(pk=participation.pk).note == "Saved"


def test_a_votes_etag_carries_its_events_version(client):
    record = VoteRecordFactory(event=PublishedEventFactory(event_type=event_type("un-vote")))
    version = Event.objects.get(pk=record.event_id).version
    assert client.get(f"/api/v1/votes/{record.pk}/")["ETag"].startswith(f'W/"{version}.')


def test_if_match_star_overwrites_on_purpose(editor_client):
    source = SourceFactory(title="Old")
    response = write(
        editor_client,
        "PATCH",
        f"/api/v1/sources/{source.pk}/",
        {"title": "New"},
        HTTP_IF_MATCH="*",
    )
    assert response.status_code == 200
    assert Source.objects.get(pk=source.pk).title == "New"


def test_creating_needs_no_precondition(editor_client):
    response = write(
        editor_client, "POST", "/api/v1/timelines/", {"slug": "fresh", "title": "Fresh"}
    )
    assert response.status_code == 201, response.content
    assert Timeline.objects.filter(slug="fresh").exists()
