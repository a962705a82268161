"""events.rows: the one projection, and its one actor rule on every surface."""

import csv
import dataclasses
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import rows
from events.choices import DatePrecision, ParticipantRole, TimelineKind
from events.models import Event
from tests.factories import (
    ParticipationFactory,
    PersonFactory,
    PublishedEventFactory,
    RoleFactory,
    StateFactory,
    TimelineEntryFactory,
    TimelineFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hosted():
    """An event whose host is also its initiator, with a second actor."""
    event = PublishedEventFactory(slug="hosted-talks", title="Hosted talks")
    host = StateFactory(name="Genovia", slug="genovia", iso3="GNV")
    ParticipationFactory(event=event, actor=host, role=ParticipantRole.INITIATOR)
    ParticipationFactory(
        event=event, actor=StateFactory(name="Latveria", slug="latveria"), role="target"
    )
    ParticipationFactory(event=event, actor=host, role=ParticipantRole.HOST)
    return event


def test_a_row_keeps_every_participation_and_lists_each_actor_once(hosted):
    (row,) = rows.event_rows(Event.objects.public(), 10)
    assert [(p.slug, p.role) for p in row.participants] == [
        ("genovia", "initiator"),
        ("latveria", "target"),
        ("genovia", "host"),
    ]
    assert [actor.slug for actor in row.actors] == ["genovia", "latveria"]
    assert row.actor_slugs == "genovia latveria"


def test_the_api_row_lists_both_roles_of_one_actor(client, hosted):
    (row,) = client.get("/api/v1/events/").json()["results"]
    assert [(a["slug"], a["role"]) for a in row["actors"]] == [
        ("genovia", "initiator"),
        ("latveria", "target"),
        ("genovia", "host"),
    ]


def test_the_csv_and_the_embed_name_each_actor_once(client, hosted):
    response = client.get("/api/v1/events/", {"format": "csv"})
    (record,) = csv.DictReader(io.StringIO(response.content.decode()))
    assert record["actors"] == "Genovia; Latveria"
    html = client.get("/embed/timeline/").content.decode()
    assert html.count('?actor=genovia" target="_blank" rel="noopener">Genovia</a>') == 1


def test_a_highlighted_actor_is_marked_once_by_slug_or_iso3(client, hosted):
    html = client.get("/embed/timeline/", {"highlight": "gnv"}).content.decode()
    assert 'class="event is-highlighted' in html
    html = client.get("/embed/timeline/", {"highlight": "genovia"}).content.decode()
    assert (
        html.count('<a class="actor is-highlighted" href="http://testserver/events/?actor=genovia"')
        == 1
    )


def test_the_api_the_pages_and_the_embeds_read_the_same_columns(client, hosted):
    """One projection: a bulk change to any projected column shows on every surface."""
    Event.objects.filter(pk=hosted.pk).update(title="Renamed in bulk")
    assert client.get("/api/v1/events/").json()["results"][0]["title"] == "Renamed in bulk"
    assert "Renamed in bulk" in client.get("/embed/timeline/").content.decode()
    assert "Renamed in bulk" in client.get("/actors/genovia/").content.decode()


# Rows of keys: the precompiled statement gives what the ORM's projection gave -----------------


@pytest.fixture
def varied():
    """Events with ties in the ordering keys (importance, publication) and varied dates."""
    events, now = [], timezone.now()
    for index, (year, importance) in enumerate([(2020, 3), (2019, 5), (2020, 5), (2021, 1)]):
        event = PublishedEventFactory(
            slug=f"varied-{index}",
            title=f"Sanctions talks {index}",
            start_date=dt.date(year, 1 + index, 1),
            end_date=dt.date(year + 1, 1, 1) if index % 2 else None,
            end_precision=DatePrecision.YEAR if index % 2 else "",
            start_approximate=bool(index % 2),
            importance=importance,
            published_at=now - dt.timedelta(days=index % 2),  # ties too
        )
        ParticipationFactory(event=event, role=ParticipantRole.INITIATOR)
        ParticipationFactory(event=event)
        events.append(event)
    return events


@pytest.mark.parametrize(
    "ordering",
    [
        ("date_lower", "id"),
        ("-date_lower", "-id"),
        ("-importance", "date_lower", "id"),
        ("-updated_at", "-id"),
        ("-published_at", "-id"),
    ],
)
def test_rows_of_keys_are_the_orms_rows_in_the_same_order(varied, ordering):
    queryset = Event.objects.public().order_by(*ordering)
    keys = tuple(name.lstrip("-") for name in ordering)
    fast = rows.first_rows(queryset, 3, extra=keys)
    by_orm = rows._rows_by_orm(queryset, 3, keys)
    assert [row.slug for row in fast] == [row.slug for row in by_orm]
    assert fast == by_orm
    assert [row.extra for row in fast] == [row.extra for row in by_orm]
    stored = {event.slug: Event.objects.get(pk=event.pk) for event in varied}
    for row in fast:
        assert row.updated_at == stored[row.slug].updated_at
        assert row.updated_at.tzinfo is not None
        assert row.published_at == stored[row.slug].published_at
        assert isinstance(row.start_date, dt.date) and isinstance(row.start_approximate, bool)


def test_rows_of_keys_carry_an_annotations_value_and_order_by_it(varied):
    from events.search import search_events

    queryset = search_events(Event.objects.public(), "sanctions", ranked=True).order_by(
        "-search_rank", "date_lower", "id"
    )
    keys = ("search_rank", "date_lower", "id")
    fast = rows.first_rows(queryset, 10, extra=keys)
    assert fast == rows._rows_by_orm(queryset, 10, keys)
    assert len(fast) == 4
    assert all(isinstance(row.extra["search_rank"], float) for row in fast)
    assert [row.extra["date_lower"] for row in fast] == [row.date_lower for row in fast]


def test_rows_of_keys_of_a_curated_timeline_follow_its_positions(varied):
    timeline = TimelineFactory(kind=TimelineKind.CURATED)
    for position, event in enumerate(reversed(varied)):
        TimelineEntryFactory(
            timeline=timeline, event=event, position=position, caption=f"c{position}"
        )
    queryset = Event.objects.public().as_entries_of(timeline)
    listed = rows.first_rows(queryset, 10, extra=("entry_caption",))
    assert [row.slug for row in listed] == [event.slug for event in reversed(varied)]
    assert [row.extra["entry_caption"] for row in listed] == ["c0", "c1", "c2", "c3"]


# Posts: read for the pages and embeds, which show them; not for the API's rows ----------------


@pytest.fixture
def minister_event():
    """A published event with a person who held a post on its day."""
    event = PublishedEventFactory(slug="talks-in-paris", start_date=dt.date(2025, 3, 4))
    person = PersonFactory(name="Ann Minister", slug="ann-minister")
    RoleFactory(
        person=person,
        organisation=StateFactory(name="Genovia", slug="genovia"),
        title="Foreign Minister",
        start_date=dt.date(2024, 1, 1),
    )
    ParticipationFactory(event=event, actor=person, role=ParticipantRole.INITIATOR)
    return event


@pytest.mark.parametrize("reader", ["keys", "orm"])
def test_rows_without_posts_are_the_same_rows_with_no_posts(minister_event, reader):
    queryset = Event.objects.public().order_by("date_lower", "id")
    if reader == "keys":
        with_posts = rows.first_rows(queryset, 10)
        without = rows.first_rows(queryset, 10, posts=False)
    else:
        with_posts = rows._rows_by_orm(queryset, 10, ())
        without = rows._rows_by_orm(queryset, 10, (), posts=False)
    (row,) = with_posts
    assert [(post.title, post.organisation) for post in row.participants[0].posts] == [
        ("Foreign Minister", "Genovia")
    ]
    (bare,) = without
    assert bare.participants[0].posts == []
    # Rows are never changed once read (their related sets are shared): compare copies.
    minister = dataclasses.replace(row.participants[0], posts=[])
    assert bare == dataclasses.replace(row, participants=[minister], record=bare.record)


def test_the_api_does_not_read_posts_and_the_embed_shows_them(client, minister_event):
    with CaptureQueriesContext(connection) as queries:
        listed = client.get("/api/v1/events/").json()["results"]
        client.get("/api/v1/timeline/")
    assert [actor["slug"] for actor in listed[0]["actors"]] == ["ann-minister"]
    assert not [query for query in queries if "events_role" in query["sql"]]
    html = client.get("/embed/timeline/").content.decode()
    assert '<span class="post">(Foreign Minister, Genovia)</span>' in html


# The API's shapes of rows, kept by what they are made of ------------------------------------


def test_shapes_are_the_rows_json_and_made_again_for_a_changed_row(client, hosted):
    from events.api.rows import row_json, rows_json, shaped_rows

    prefix = "http://testserver/api/v1/events/"
    queryset = Event.objects.public().order_by("date_lower", "id")
    (row,) = rows.first_rows(queryset, 10, posts=False)
    (first,) = rows_json([row], prefix)
    assert first == row_json(row, prefix)
    (again,) = rows_json(rows.first_rows(queryset, 10, posts=False), prefix)
    if connection.vendor == "postgresql":  # one statement: the row has its record
        assert again is first
    host = hosted.participations.first().actor
    host.name = "Genovia, the Kingdom"
    host.save()  # the event is not saved: its participants' JSON changes, so its record does
    (renamed,) = rows_json(rows.first_rows(queryset, 10, posts=False), prefix)
    assert renamed is not first
    assert renamed["actors"][0]["name"] == "Genovia, the Kingdom"
    shaped_rows.clear()
    listed = client.get("/api/v1/events/").json()["results"]
    assert listed[0]["actors"][0]["name"] == "Genovia, the Kingdom"


def test_an_unranked_search_carries_a_rank_of_zero_as_a_float(varied):
    from events.search import search_events

    queryset = search_events(Event.objects.public(), "sanctions").order_by("date_lower", "id")
    fast = rows.first_rows(queryset, 10, extra=("search_rank", "date_lower", "id"))
    assert len(fast) == 4
    assert [row.extra["search_rank"] for row in fast] == [0.0] * 4
    assert all(isinstance(row.extra["search_rank"], float) for row in fast)
