"""The changes feed (/api/v1/events/changes/): a client mirrors the public events from it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.choices import CitationStance, EventStatus, PublicChangeKind
from events.models import Event, PublicChange
from events.services import event_publish, event_retract, event_unpublish
from tests.factories import (
    ActorFactory,
    CitationFactory,
    EventFactory,
    ParticipationFactory,
    PublishedEventFactory,
    SourceFactory,
)

FEED = "/api/v1/events/changes/"
LIST = "/api/v1/events/"

pytestmark = pytest.mark.django_db


def feed(client, **params) -> dict:
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    return response.json()


def mirror(client, mirrored: dict | None = None, since=None, limit=7) -> tuple[dict, int | None]:
    """Apply the feed, page by page and item by item in order, to `mirrored`."""
    mirrored = {} if mirrored is None else mirrored
    while True:
        params = {"limit": limit} | ({"since": since} if since is not None else {})
        page = feed(client, **params)
        for item in page["results"]:
            if item["kind"] == PublicChangeKind.REMOVED:
                mirrored.pop(item["slug"], None)
            else:
                mirrored[item["slug"]] = item["event"]
        since = page["next"]
        if not page["more"]:
            return mirrored, since


def export(client) -> dict:
    """Every public row of /api/v1/events/, all pages, by slug."""
    rows, url = {}, f"{LIST}?page_size=3"
    while url:
        page = client.get(url).json()
        rows.update((row["slug"], row) for row in page["results"])
        url = page["next"]
    return rows


def cited_draft(**fields) -> Event:
    return CitationFactory(event=EventFactory(**fields), stance=CitationStance.SUPPORTS).event


def public(slug: str) -> Event:
    """A cited event made public in one save: one `published` item (the factory's published
    event gets its citation after, an `updated`)."""
    event = cited_draft(slug=slug)
    edit(event, status=EventStatus.PUBLISHED, published_at=timezone.now())
    return event


def edit(event: Event, **fields) -> None:
    event.refresh_from_db()
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()


def test_a_mirror_built_from_the_feed_equals_a_full_export_after_a_scripted_history(client, editor):
    a, b, c, d, draft = (cited_draft(slug=slug) for slug in ("a", "b", "c", "d", "draft"))
    for event in (a, b, c, d):
        event_publish(event=event, user=editor)
    mirrored, since = mirror(client)
    assert mirrored == export(client)
    assert set(mirrored) == {"a", "b", "c", "d"}

    edit(a, title="A, corrected")
    ParticipationFactory(event=b, actor=ActorFactory(name="Ruritania"))
    citation = CitationFactory(event=c, stance=CitationStance.CONTEXT)
    event_retract(event=d, user=editor, reason="The source withdrew the story.")
    event_unpublish(event=b, user=editor)
    edit(b, title="B while unpublished")  # a draft's edit: nothing public
    edit(draft, title="Draft retitled")
    ParticipationFactory(event=draft)
    citation.stance = CitationStance.SUPPORTS
    citation.save()
    edit(c, slug="c-renamed")  # mirrors know it by its slug: the old one goes
    event_publish(event=b, user=editor)
    edit(b, summary="Back, with more said.")
    source = a.citations.get().source
    source.title = "Retitled source"
    source.save()
    fresh = cited_draft(slug="fresh")
    event_publish(event=fresh, user=editor)
    event_unpublish(event=fresh, user=editor)

    mirror(client, mirrored, since=since)  # from where the client left off
    assert mirrored == export(client)
    assert set(mirrored) == {"a", "b", "c-renamed", "d"}
    assert mirrored["d"]["status"] == EventStatus.RETRACTED
    assert mirrored["a"]["sources"][0]["title"] == "Retitled source"
    assert mirror(client)[0] == mirrored  # and from the beginning


def test_drafts_and_their_edits_never_appear(client, editor):
    draft = cited_draft(slug="secret")
    edit(draft, title="Still secret")
    ParticipationFactory(event=draft)
    CitationFactory(event=draft)
    edit(draft, status=EventStatus.IN_REVIEW)
    assert feed(client)["results"] == []
    assert not PublicChange.objects.exists()


def test_each_kind_is_recorded_when_the_public_state_changes(client, editor):
    event = cited_draft(slug="e")
    event_publish(event=event, user=editor)
    edit(event, title="Retitled")
    event_retract(event=event, user=editor, reason="Wrong.")
    edit(event, status=EventStatus.DRAFT)
    items = feed(client)["results"]
    assert [(item["kind"], item["slug"]) for item in items] == [
        ("published", "e"),
        ("updated", "e"),
        ("retracted", "e"),
        ("removed", "e"),
    ]
    assert [item["event"] for item in items] == [None] * 4  # it is not public now
    assert [item["cursor"] for item in items] == sorted(item["cursor"] for item in items)


def test_a_save_that_changes_nothing_readers_see_is_not_a_change(client):
    event = PublishedEventFactory(slug="quiet")
    before = PublicChange.objects.count()
    edit(event, title=event.title)
    citation = event.citations.get()
    citation.quote = "A longer passage (quotes are not in the list row)."
    citation.save()
    assert PublicChange.objects.count() == before


def test_an_item_carries_the_row_the_event_list_gives(client):
    event = public("row")
    [item] = feed(client)["results"]
    assert item["kind"] == "published" and item["slug"] == "row"
    assert item["event"] == client.get(LIST).json()["results"][0]
    assert dt.datetime.fromisoformat(item["at"]) <= dt.datetime.now(dt.UTC)
    assert item["event"]["id"] == event.pk


def test_since_a_cursor_or_a_time_lists_only_later_changes(client):
    first = public("first")
    cursor = feed(client)["next"]
    middle = dt.datetime.now(dt.UTC)
    public("second")
    edit(first, title="First, edited")

    after_cursor = feed(client, since=cursor)
    assert [(i["kind"], i["slug"]) for i in after_cursor["results"]] == [
        ("published", "second"),
        ("updated", "first"),
    ]
    assert after_cursor["next"] == after_cursor["results"][-1]["cursor"]
    after_time = feed(client, since=middle.isoformat())
    assert after_time["results"] == after_cursor["results"]
    naive_utc = middle.replace(tzinfo=None).isoformat()
    assert feed(client, since=naive_utc)["results"] == after_cursor["results"]
    # Nothing new: the same cursor comes back, to ask again later.
    assert feed(client, since=after_cursor["next"]) == {
        "next": after_cursor["next"],
        "more": False,
        "results": [],
    }


def test_pages_follow_each_other_without_gaps_or_repeats(client):
    for n in range(5):
        public(f"e{n}")
    first = feed(client, limit=2)
    assert first["more"] is True and len(first["results"]) == 2
    second = feed(client, limit=2, since=first["next"])
    third = feed(client, limit=2, since=second["next"])
    assert third["more"] is False
    listed = [i["slug"] for page in (first, second, third) for i in page["results"]]
    assert listed == [f"e{n}" for n in range(5)]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "2025-13-01T00:00:00"}, "since"),
        ({"since": "-3"}, "since"),
        ({"since": "12\x00"}, "since"),
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
    ],
)
def test_a_bad_parameter_is_a_400_saying_what_to_give(client, params, field):
    response = client.get(FEED, params)
    assert response.status_code == 400
    body = response.json()
    assert field in str(body)
    if field == "since":
        assert "cursor" in str(body) and "ISO 8601" in str(body)


def test_a_changed_actor_name_updates_the_rows_that_show_it(client):
    event = public("with-actor")
    actor = ParticipationFactory(event=event).actor
    _, since = mirror(client)
    actor.name = "Renamed State"
    actor.save()
    SourceFactory()  # a new source is in no row
    items = feed(client, since=since)["results"]
    assert [(i["kind"], i["slug"]) for i in items] == [("updated", "with-actor")]
    assert items[0]["event"]["actors"][0]["name"] == "Renamed State"


def test_a_public_event_deleted_in_bulk_still_leaves_a_tombstone(client):
    # Event.delete() refuses once-published events; a queryset delete bypasses that guard.
    PublishedEventFactory(slug="gone")
    Event.objects.filter(slug="gone").delete()
    items = feed(client)["results"]
    assert (items[-1]["kind"], items[-1]["slug"], items[-1]["event"]) == ("removed", "gone", None)
    assert PublicChange.objects.filter(slug="gone", event__isnull=True).count() == len(items)


def test_the_query_count_is_the_same_for_1_and_30_changes(client, django_assert_max_num_queries):
    public("one")
    with CaptureQueriesContext(connection) as one:
        assert len(feed(client)["results"]) == 1
    for n in range(29):
        event = public(f"more-{n}")
        ParticipationFactory(event=event)
    with django_assert_max_num_queries(len(one)):
        assert len(feed(client, limit=1000)["results"]) == 30 + 29


def test_the_feed_answers_304_to_a_client_holding_its_etag(client):
    PublishedEventFactory()
    response = client.get(FEED)
    assert client.get(FEED, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    PublishedEventFactory()
    assert client.get(FEED, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200
