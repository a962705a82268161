"""Writing events through the API: permissions, the admin's validation, publishing, history and
concurrent edits."""

import datetime as dt

import pytest
from django.test import Client
from knox.models import AuthToken

from events import revisions
from events.choices import EventStatus
from events.models import Event, Participation
from tests.factories import (
    CitationFactory,
    EventFactory,
    PublishedEventFactory,
    SourceFactory,
    StateFactory,
    TimelineEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/"
NEW_EVENT = {
    "title": "Intelligence sharing paused",
    "slug": "intel-pause",
    "summary": "The United States paused intelligence sharing.",
    "type": "aid-suspension",
    "start_date": "2025-03-05",
    "start_precision": "day",
    "verification": "confirmed",
    "importance": 4,
}


def post(client, url, data=None, **headers):
    return client.post(url, data or {}, content_type="application/json", headers=headers)


def patch(client, url, data, **headers):
    return client.patch(url, data, content_type="application/json", headers=headers)


def current(slug: str) -> dict:
    """The If-Match of a client that has just read the event (writes need one, or a 428)."""
    return {"If-Match": f'W/"{Event.objects.get(slug=slug).version}"'}


@pytest.fixture
def draft():
    return EventFactory(slug="draft-event", title="A draft")


def test_anonymous_clients_cannot_write(client, draft):
    assert post(client, URL, NEW_EVENT).status_code in (401, 403)
    assert patch(client, f"{URL}draft-event/", {"title": "x"}).status_code in (401, 403)
    assert client.delete(f"{URL}draft-event/").status_code in (401, 403)
    assert post(client, f"{URL}draft-event/publish/").status_code in (401, 403)
    assert Event.objects.get(slug="draft-event").title == "A draft"


def test_a_curator_creates_a_draft_and_history_records_them(curator_client, curator):
    response = post(curator_client, URL, {**NEW_EVENT, "status": "published"})

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft"  # status is read-only: publishing is an action
    assert data["display_date"] == "5 Mar 2025"
    assert response["ETag"] == f'W/"{data["version"]}"'
    event = Event.objects.get(slug="intel-pause")
    assert event.created_by == curator
    assert event.updated_by == curator
    assert revisions.latest(event).user == curator


def test_a_curator_updates_but_cannot_publish_or_delete(curator_client, draft):
    CitationFactory(event=draft)
    response = patch(
        curator_client, f"{URL}draft-event/", {"title": "Better title"}, **current("draft-event")
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Better title"

    assert post(curator_client, f"{URL}draft-event/publish/").status_code == 403
    assert (
        curator_client.delete(f"{URL}draft-event/", headers=current("draft-event")).status_code
        == 403
    )
    assert Event.objects.get(slug="draft-event").status == EventStatus.DRAFT


def test_validation_gives_the_admins_messages(curator_client):
    response = post(
        curator_client,
        URL,
        {**NEW_EVENT, "start_date": "2025-03-05", "start_precision": "month"},
    )
    assert response.status_code == 400
    assert "first day of the month" in response.json()["errors"]["start_date"][0]

    response = post(curator_client, URL, {**NEW_EVENT, "end_date": "2025-03-01"})
    assert "cannot be before" in response.json()["errors"]["end_date"][0]

    EventFactory(slug="intel-pause")
    response = post(curator_client, URL, NEW_EVENT)
    assert response.status_code == 400
    assert "already exists" in response.json()["errors"]["slug"][0]

    response = post(curator_client, URL, {**NEW_EVENT, "slug": "x2", "type": "nope"})
    assert "type" in response.json()["errors"]


def test_an_editor_publishes_only_with_a_supporting_citation(editor_client, draft):
    response = post(editor_client, f"{URL}draft-event/publish/")
    assert response.status_code == 400
    assert "supports" in response.json()["detail"]

    CitationFactory(event=draft)
    response = post(editor_client, f"{URL}draft-event/publish/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    assert Client().get(f"{URL}draft-event/").status_code == 200


def test_retracting_needs_a_reason_and_keeps_the_event_visible(editor_client):
    PublishedEventFactory(slug="claim")
    response = post(editor_client, f"{URL}claim/retract/", {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]

    response = post(editor_client, f"{URL}claim/retract/", {"reason": 0})
    assert response.status_code == 400  # the schema says text; a number is not quietly "0"
    assert "not a number" in response.json()["errors"]["reason"][0]

    response = post(editor_client, f"{URL}claim/retract/", {"reason": "Misreported."})
    assert response.status_code == 200
    public = Client().get(f"{URL}claim/").json()
    assert (public["status"], public["retraction_reason"]) == ("retracted", "Misreported.")


def test_unpublishing_hides_the_event_again(editor_client):
    PublishedEventFactory(slug="oops")
    assert post(editor_client, f"{URL}oops/unpublish/").status_code == 200
    assert Client().get(f"{URL}oops/").status_code == 404


def test_deleting_is_for_editors_and_only_before_publication(editor_client, draft):
    PublishedEventFactory(slug="published")
    response = editor_client.delete(f"{URL}published/", headers=current("published"))
    assert response.status_code == 409
    assert "it is never deleted. Retract it" in response.json()["detail"]

    response = editor_client.delete(f"{URL}draft-event/", headers=current("draft-event"))
    assert response.status_code == 204
    assert not Event.objects.filter(slug="draft-event").exists()


def test_an_unpublished_event_stays_as_a_tombstone_and_cannot_be_deleted(editor_client):
    PublishedEventFactory(slug="was-public")
    assert post(editor_client, f"{URL}was-public/unpublish/").status_code == 200

    response = editor_client.delete(f"{URL}was-public/", headers=current("was-public"))

    assert response.status_code == 409
    assert "has been published: it is never deleted" in response.json()["detail"]
    event = Event.objects.get(slug="was-public")
    assert (event.status, event.first_published_at is not None) == (EventStatus.DRAFT, True)


def test_deleting_an_event_still_in_a_timeline_is_a_conflict(editor_client):
    entry = TimelineEntryFactory(event=EventFactory(slug="in-timeline"))
    assert entry.pk
    response = editor_client.delete(f"{URL}in-timeline/", headers=current("in-timeline"))
    assert response.status_code == 409


def test_a_stale_if_match_is_412_and_a_stale_version_409(curator_client, draft):
    etag = curator_client.get(f"{URL}draft-event/")["ETag"]
    version = draft.version
    assert (
        patch(
            curator_client, f"{URL}draft-event/", {"title": "First"}, **{"If-Match": etag}
        ).status_code
        == 200
    )

    stale = patch(curator_client, f"{URL}draft-event/", {"title": "Second"}, **{"If-Match": etag})
    assert stale.status_code == 412
    stale = patch(curator_client, f"{URL}draft-event/", {"title": "Second", "version": version})
    assert stale.status_code == 409
    assert Event.objects.get(slug="draft-event").title == "First"

    current = Event.objects.get(slug="draft-event").version
    ok = patch(curator_client, f"{URL}draft-event/", {"title": "Second", "version": current})
    assert ok.status_code == 200
    assert ok["ETag"] == f'W/"{current + 1}"'


def test_token_authentication_writes_and_is_recorded_in_history(curator):
    _, token = AuthToken.objects.create(user=curator)
    client = Client()
    response = post(client, URL, NEW_EVENT, Authorization=f"Token {token}")
    assert response.status_code == 201, response.content
    assert revisions.latest(Event.objects.get(slug="intel-pause")).user == curator


def test_participations_and_citations_are_written_by_slug(curator_client, draft):
    StateFactory(slug="usa", iso3="USA")
    source = SourceFactory()

    response = post(
        curator_client,
        "/api/v1/participations/",
        {"event": "draft-event", "actor": "usa", "role": "initiator"},
    )
    assert response.status_code == 201, response.content
    assert Participation.objects.get(event=draft).actor.slug == "usa"
    again = post(
        curator_client,
        "/api/v1/participations/",
        {"event": "draft-event", "actor": "usa", "role": "initiator"},
    )
    assert again.status_code == 400
    assert "already has this role" in str(again.json()["errors"])

    citation = {"event": "draft-event", "source": source.pk, "quote": "Paused.", "locator": "p. 1"}
    response = post(curator_client, "/api/v1/citations/", citation)
    assert response.status_code == 201, response.content
    assert revisions.latest(draft).user.username == "curator"
    duplicate = post(curator_client, "/api/v1/citations/", citation)
    assert duplicate.status_code == 400
    assert "already cited at this place" in str(duplicate.json()["errors"])

    unknown = post(curator_client, "/api/v1/citations/", {**citation, "event": "nope"})
    assert unknown.status_code == 400
    assert "event" in unknown.json()["errors"]


@pytest.mark.parametrize("pk", ["abc", "1.5", "-3", "%C2%B2"])
def test_malformed_ids_of_parts_are_404_json(editor_client, pk):
    for url in (f"/api/v1/participations/{pk}/", f"/api/v1/citations/{pk}/"):
        response = editor_client.delete(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


def test_part_writes_need_permissions(client, curator_client, draft):
    StateFactory(slug="usa", iso3="USA")
    body = {"event": "draft-event", "actor": "usa", "role": "host"}
    assert post(client, "/api/v1/participations/", body).status_code in (401, 403)
    created = post(curator_client, "/api/v1/participations/", body).json()
    url = f"/api/v1/participations/{created['id']}/"
    assert client.delete(url).status_code in (401, 403)
    # Curators remove a wrong participant (recorded in history), as in the admin …
    assert curator_client.delete(url, headers=current("draft-event")).status_code == 204
    assert not Participation.objects.filter(pk=created["id"]).exists()
    newest = revisions.history(draft)[0]
    assert newest.revision.user.username == "curator"
    assert [(p.part, p.action) for p in newest.diff.parts] == [("participation", "removed")]
    # … but never the event itself.
    assert (
        curator_client.delete(f"{URL}draft-event/", headers=current("draft-event")).status_code
        == 403
    )
    assert Event.objects.filter(slug="draft-event").exists()
    assert post(client, "/api/v1/citations/", {}).status_code in (401, 403)


def test_writes_bump_the_change_stamp_so_cached_reads_refresh(client, editor_client):
    event = PublishedEventFactory(slug="stamped", start_date=dt.date(2025, 1, 1))
    first = client.get(URL)
    patch(editor_client, f"{URL}stamped/", {"title": "Renamed"}, **current("stamped"))
    second = client.get(URL, headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 200
    assert second.json()["results"][0]["title"] == "Renamed"
    assert event.pk


# --- history ---------------------------------------------------------------------------------


def test_one_api_write_is_one_revision_with_who_and_the_reason_header(curator_client, curator):
    event = CitationFactory(event=EventFactory(slug="draft-event", title="A draft")).event

    response = patch(
        curator_client,
        f"{URL}draft-event/",
        {"title": "A better title"},
        **current("draft-event"),
        **{"X-Change-Reason": "Clearer title"},
    )

    assert response.status_code == 200, response.content
    (entry,) = revisions.history(event)
    assert (entry.revision.user, entry.revision.comment) == (curator, "Clearer title")


def test_without_a_reason_the_revision_names_the_request(curator_client):
    EventFactory(slug="draft-event")
    patch(curator_client, f"{URL}draft-event/", {"title": "x"}, **current("draft-event"))
    event = Event.objects.get(slug="draft-event")
    assert revisions.latest(event).comment == "PATCH /api/v1/events/draft-event/"


def test_the_history_endpoint_lists_revisions_with_a_field_diff_for_staff_only(
    client, curator_client, editor_client
):
    EventFactory(slug="draft-event", title="A draft")
    patch(
        curator_client,
        f"{URL}draft-event/",
        {"title": "A better title"},
        **current("draft-event"),
        **{"X-Change-Reason": "Clearer"},
    )
    StateFactory(slug="usa", iso3="USA")
    post(curator_client, "/api/v1/participations/", {"event": "draft-event", "actor": "usa"})

    response = editor_client.get(f"{URL}draft-event/history/")

    assert response.status_code == 200, response.content
    newest, first = response.json()["results"]
    assert (first["user"], first["reason"]) == ("curator", "Clearer")
    assert {"field": "title", "label": "title", "old": "—", "new": "A better title"} in first[
        "changes"
    ]
    assert newest["changes"] == []
    assert newest["parts"][0]["part"] == "participation"
    assert newest["parts"][0]["action"] == "added"
    assert client.get(f"{URL}draft-event/history/").status_code == 401
    reader = Client()
    reader.force_login(UserFactory(username="reader"))
    assert reader.get(f"{URL}draft-event/history/").status_code == 403
    assert editor_client.get(f"{URL}no-such-event/history/").status_code == 404


@pytest.mark.parametrize("value", [5, 4.5, True])
def test_a_text_field_given_a_number_or_boolean_is_refused_and_nothing_is_written(
    editor_client, value
):
    response = post(editor_client, URL, {**NEW_EVENT, "title": value})
    assert response.status_code == 400
    assert "Give text here" in response.json()["errors"]["title"][0]
    assert not Event.objects.filter(slug="intel-pause").exists()
