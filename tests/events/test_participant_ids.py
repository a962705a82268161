"""`Event.participant_ids`: the participants' actor ids kept on the event row for search with an
actor (one GIN index with the search vector on PostgreSQL). Every write path keeps it equal to
the participations, and reading actors from it gives exactly what the participations give."""

import datetime as dt
from importlib import import_module

import pytest
from django.db import connection
from django.http import QueryDict

from events import revisions
from events.choices import ParticipantRole
from events.filtersets import EventFilterSet
from events.imports.models import ImportStatus
from events.imports.pipeline import start_import
from events.merging import merge
from events.models import Event, Participation
from events.querysets import EventQuerySet
from tests.factories import (
    EventFactory,
    ParticipationFactory,
    PublishedEventFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's"
)


def stored_ids(event: Event) -> list[int]:
    return Event.objects.values_list("participant_ids", flat=True).get(pk=event.pk)


def participations_ids(event: Event) -> list[int]:
    """The rule as Python states it: the participations' actor ids, distinct, sorted."""
    return sorted(set(Participation.objects.filter(event=event).values_list("actor_id", flat=True)))


def assert_in_step() -> None:
    assert list(Event.objects.with_stale_participants().values_list("slug", flat=True)) == []
    for event in Event.objects.all():
        assert stored_ids(event) == participations_ids(event), event.slug


@pytest.fixture
def sanctions():
    """Events about sanctions (and one not) with overlapping participants."""
    usa = StateFactory(name="United States", slug="usa", iso3="USA")
    rus = StateFactory(name="Russia", slug="rus", iso3="RUS")
    irn = StateFactory(name="Iran", slug="irn", iso3="IRN")
    plan = [
        ("usa-sanctions-rus", "Sanctions on Russian banks", [usa, rus], 1),
        ("usa-sanctions-irn", "Sanctions on Iranian oil", [usa, irn], 2),
        ("rus-sanctions-answer", "Russia answers the sanctions", [rus], 3),
        ("talks", "Talks in Riyadh", [usa, rus], 4),
        ("sanctions-alone", "Sanctions renewed by the council", [], 5),
    ]
    events = {}
    for slug, title, actors, day in plan:
        event = PublishedEventFactory(slug=slug, title=title, start_date=dt.date(2025, 2, day))
        for place, actor in enumerate(actors):
            role = ParticipantRole.INITIATOR if place == 0 else ParticipantRole.TARGET
            ParticipationFactory(event=event, actor=actor, role=role)
        events[slug] = event
    return {"usa": usa, "rus": rus, "irn": irn, **events}


def test_saving_and_deleting_participations_keeps_the_ids_in_step():
    event = EventFactory()
    a, b, c = StateFactory(), StateFactory(), StateFactory()
    assert stored_ids(event) == []
    first = ParticipationFactory(event=event, actor=b)
    ParticipationFactory(event=event, actor=a)
    ParticipationFactory(event=event, actor=a, role=ParticipantRole.HOST)  # twice: once
    assert stored_ids(event) == sorted([a.pk, b.pk])
    first.actor = c  # another actor in the same row
    first.save()
    assert stored_ids(event) == sorted([a.pk, c.pk])
    first.delete()
    assert stored_ids(event) == [a.pk]
    assert_in_step()


def test_a_participation_moved_to_another_event_refreshes_both():
    old, new = EventFactory(), EventFactory()
    part = ParticipationFactory(event=old)
    part = Participation.objects.get(pk=part.pk)
    part.event = new
    part.save()
    assert stored_ids(old) == []
    assert stored_ids(new) == [part.actor_id]
    assert_in_step()


def test_participants_added_through_the_many_to_many_are_counted():
    event = EventFactory()
    a, b = StateFactory(), StateFactory()
    event.actors.add(a, b)
    assert stored_ids(event) == sorted([a.pk, b.pk])
    b.events.remove(event)
    assert stored_ids(event) == [a.pk]
    a.events.clear()
    assert stored_ids(event) == []
    assert_in_step()


def test_an_event_saved_after_its_refresh_does_not_write_stale_ids():
    event = EventFactory()
    ParticipationFactory(event=event)
    event.refresh_search_actors()  # what the admin does after the inline rows
    event.title = "Renamed"
    event.save()
    assert_in_step()


def test_the_check_finds_drifted_ids_and_names():
    event = ParticipationFactory().event
    other = ParticipationFactory().event
    assert_in_step()
    Event.objects.filter(pk=event.pk).update(participant_ids=[])
    Event.objects.filter(pk=other.pk).update(search_actors="stale")
    stale = Event.objects.with_stale_participants().order_by("pk")
    assert list(stale.values_list("pk", flat=True)) == [event.pk, other.pk]
    Event.objects.all().refresh_search_actors()
    assert_in_step()


def test_the_migrations_fill_gives_the_same_ids_as_the_refresh(sanctions):
    Event.objects.update(participant_ids=[])
    fill = import_module("events.migrations.0018_event_participant_ids").fill

    class Editor:  # the migration's statement, inside this test's transaction
        def __init__(self):
            self.connection = connection

        def execute(self, sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)

    fill(None, Editor())
    assert_in_step()


def test_merging_two_events_moves_their_ids_to_the_kept_one(sanctions, editor):
    kept, removed = sanctions["usa-sanctions-rus"], sanctions["usa-sanctions-irn"]
    merge(keep=kept, remove=removed, user=editor)
    usa, rus, irn = sanctions["usa"], sanctions["rus"], sanctions["irn"]
    assert stored_ids(kept) == sorted([usa.pk, rus.pk, irn.pk])
    assert stored_ids(removed) == []  # retracted, still public, no longer anyone's
    assert_in_step()


def test_merging_two_actors_rewrites_the_ids_of_their_events(sanctions, editor):
    usa, rus = sanctions["usa"], sanctions["rus"]
    merge(keep=usa, remove=rus, user=editor)
    assert stored_ids(sanctions["rus-sanctions-answer"]) == [usa.pk]
    assert stored_ids(sanctions["talks"]) == [usa.pk]  # both were in it: once
    assert_in_step()


def test_imports_write_the_ids_of_new_and_updated_events(client, editor):
    russia = StateFactory(name="Russian Federation", slug="russia", iso3="RUS")
    StateFactory(name="United States", slug="united-states", iso3="USA")
    event = PublishedEventFactory(slug="talks", title="Talks", location_country=russia)
    ParticipationFactory(event=event, actor=russia)
    data = client.get("/api/v1/events/?format=csv").content

    copy = data.replace(b"talks", b"talks-2").replace(b"/article/", b"/other/")
    created = start_import(data=copy, file_name="new.csv", user=editor)
    assert created.status == ImportStatus.DONE and created.created_count == 1
    both = data.replace(b"Russian Federation", b"Russian Federation; United States")
    updated = start_import(data=both, file_name="more.csv", user=editor)
    assert updated.status == ImportStatus.DONE and updated.updated_count == 1

    assert len(stored_ids(Event.objects.get(slug="talks-2"))) == 1
    assert len(stored_ids(event)) == 2
    assert_in_step()


def test_a_revert_restores_the_ids_with_the_participants(editor):
    event = EventFactory()
    a, b = StateFactory(), StateFactory()
    with revisions.recorded(editor, "first"):
        ParticipationFactory(event=event, actor=a)
    first = revisions.latest(Event.objects.get(pk=event.pk))
    with revisions.recorded(editor, "second"):
        Participation.objects.get(event=event).delete()
        ParticipationFactory(event=Event.objects.get(pk=event.pk), actor=b)
    assert stored_ids(event) == [b.pk]
    event = Event.objects.get(pk=event.pk)
    revisions.revert(root=event, revision_id=first.pk, user=editor, version=event.version)
    assert stored_ids(event) == [a.pk]
    assert_in_step()


# --- reading actors from the ids gives what the participations give ------------------------


def filtered_ids(params: str) -> list[int]:
    filterset = EventFilterSet(QueryDict(params), queryset=Event.objects.public())
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs.values_list("id", flat=True))


def from_participations(params: str, monkeypatch) -> list[int]:
    """The same filterset with the actor condition as EXISTS on the participations."""
    with monkeypatch.context() as patch:
        patch.setattr(EventQuerySet, "involving", EventQuerySet.in_participations)
        return filtered_ids(params)


CASES = [
    "actor=usa",
    "actor=usa,irn",
    "actor=usa,rus&actor_match=all",
    "actor=rus&ordering=-date",
    "actor=usa&from=2020",
    "q=sanctions&actor=usa",
    "q=sanctions&actor=rus",
    "q=sanctions&actor=usa,irn",
    "q=sanctions&actor=usa,rus&actor_match=all",
    "q=sanctions&actor=usa&ordering=-date",
    "q=talks&actor=irn",
    "q=Russia&actor=rus",
    "q=Rusia&actor=rus",  # a misspelt name: the trigram fallback (PostgreSQL)
]


@pytest.mark.parametrize("params", CASES)
def test_actors_read_from_the_ids_give_the_same_events_in_order(sanctions, params, monkeypatch):
    assert filtered_ids(params) == from_participations(params, monkeypatch)


def test_the_same_after_participants_change_and_merges(sanctions, editor, monkeypatch):
    usa, irn = sanctions["usa"], sanctions["irn"]
    ParticipationFactory(event=sanctions["rus-sanctions-answer"], actor=irn)
    Participation.objects.filter(event=sanctions["usa-sanctions-rus"], actor=usa).delete()
    changed = Participation.objects.get(event=sanctions["usa-sanctions-irn"], actor=irn)
    changed.actor = sanctions["rus"]
    changed.save()
    duplicate = StateFactory(slug="usa-2", name="USA")
    ParticipationFactory(event=sanctions["sanctions-alone"], actor=duplicate)
    merge(keep=usa, remove=duplicate, user=editor)
    merge(keep=sanctions["talks"], remove=sanctions["usa-sanctions-rus"], user=editor)
    for params in CASES:
        assert filtered_ids(params) == from_participations(params, monkeypatch), params
    assert_in_step()


def test_the_api_and_the_events_page_answer_search_with_an_actor(sanctions, client):
    response = client.get("/api/v1/events/", {"q": "sanctions", "actor": "irn"})
    assert response.status_code == 200, response.content
    assert [row["slug"] for row in response.json()["results"]] == ["usa-sanctions-irn"]
    page = client.get("/events/", {"q": "sanctions", "actor": "irn"})
    assert page.status_code == 200
    assert b"Sanctions on Iranian oil" in page.content
    assert b"Sanctions on Russian banks" not in page.content


@postgres_only
def test_on_postgresql_search_with_an_actor_reads_the_ids_from_one_gin_index(sanctions):
    filterset = EventFilterSet(QueryDict("q=sanctions&actor=usa"), queryset=Event.objects.public())
    assert filterset.is_valid()
    sql, _params = filterset.qs.query.sql_with_params()
    where = sql.split(" WHERE ", 1)[1]
    assert '"participant_ids" &&' in where and "events_participation" not in where
    with connection.cursor() as cursor:  # the plans at 1,000,000 events: docs/benchmarks.md
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["events_event_search_participants_idx"],
        )
        (definition,) = cursor.fetchone()
    assert definition.endswith("USING gin (search_vector, participant_ids)")


@postgres_only
def test_on_postgresql_an_actors_list_is_chosen_from_the_list_index_alone(sanctions):
    plain = EventFilterSet(QueryDict("actor=usa"), queryset=Event.objects.public())
    assert plain.is_valid()
    keys = plain.qs.values("pk")[:100]
    sql, _params = keys.query.sql_with_params()
    assert '"participant_ids" &&' in sql and "events_participation" not in sql
    with connection.cursor() as cursor:  # the plan at 1,000,000 events: docs/benchmarks.md
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["events_event_list_idx"]
        )
        (definition,) = cursor.fetchone()
    # The actor is checked on the index's own tuples (migration 0020), walked in date order.
    assert definition.endswith(
        "(date_lower, id) INCLUDE (date_upper, status, start_precision, event_type_id, "
        "participant_ids)"
    ), definition


def test_a_full_save_of_an_event_loaded_before_an_actor_was_renamed_keeps_the_new_name():
    actor = StateFactory(name="Old Name")
    event = ParticipationFactory(actor=actor).event
    event.refresh_from_db()
    stale = Event.objects.get(pk=event.pk)  # an edit form opened before the rename
    actor.name = "New Name"
    actor.save()  # one UPDATE of the actor's events' search text; no event version moves
    assert "New Name" in Event.objects.get(pk=event.pk).search_actors
    stale.title = "Retitled"
    stale.save()
    stored = Event.objects.get(pk=event.pk)
    assert stored.title == "Retitled"
    assert "New Name" in stored.search_actors and "Old Name" not in stored.search_actors
    assert_in_step()
