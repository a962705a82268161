"""An event's stored search text (`search_actors`) follows its participants' names, in a fixed
number of queries however many events an actor takes part in."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import revisions
from events.choices import ParticipantRole
from events.models import Actor, Event
from tests.factories import (
    ActorFactory,
    EventFactory,
    ParticipationFactory,
    PersonFactory,
    PublishedEventFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db

# Saving an actor: read its stored names, the version-checked UPDATE, its history row, the
# change stamp, one UPDATE of its events' search text, and for the changes feed its stored
# visible fields, the public events showing it and one INSERT of their updates. A few to
# spare, none per event.
RENAME_QUERY_BUDGET = 13


def search_text(event: Event) -> str:
    return Event.objects.get(pk=event.pk).search_actors


def python_search_text(event: Event) -> str:
    """The rule as Python states it: participants' names, distinct, sorted, one per line."""
    names = Actor.objects.filter(participations__event=event).values_list("search_names", flat=True)
    return "\n".join(sorted(set(names)))


def events_updated(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "events_event"')]


def rename_in_events(count: int) -> tuple[Actor, list[Event], int]:
    """An actor taking part in `count` events, renamed; the queries its save cost."""
    actor = StateFactory(name="Turkey", slug=f"turkey-{count}")
    events = [EventFactory() for _ in range(count)]
    for event in events:
        ParticipationFactory(event=event, actor=actor)
    actor = Actor.objects.get(pk=actor.pk)
    actor.name = "Republic of Türkiye"
    actor.aliases = "Turkiye"
    with CaptureQueriesContext(connection) as queries:
        actor.save()
    return actor, events, len(queries)


@pytest.mark.parametrize("count", [3, 30])
def test_renaming_an_actor_costs_a_fixed_number_of_queries(
    count, django_assert_max_num_queries, client
):
    actor = StateFactory(name="Turkey", slug="turkey")
    events = [PublishedEventFactory() for _ in range(count)]
    for event in events:
        ParticipationFactory(event=event, actor=actor)
    actor = Actor.objects.get(pk=actor.pk)
    actor.name = "Republic of Türkiye"

    with django_assert_max_num_queries(RENAME_QUERY_BUDGET):
        actor.save()

    for event in events:
        assert search_text(event) == "Republic of Türkiye"
    response = client.get("/api/v1/events/", {"q": "Türkiye"})
    assert response.status_code == 200, response.content
    found = {row["slug"] for row in response.json()["results"]}
    assert found == {event.slug for event in events}
    assert client.get("/api/v1/events/", {"q": "Turkey"}).json()["results"] == []


def test_renaming_in_3_or_30_events_costs_the_same_queries():
    _, few_events, few = rename_in_events(3)
    _, many_events, many = rename_in_events(30)
    assert few == many
    for event in few_events + many_events:
        assert search_text(event) == "Republic of Türkiye\n\nTurkiye"  # no short name


def test_the_stored_text_is_the_python_rule_for_any_names():
    # Code-point order (capitals before small letters, accents after both), duplicates once,
    # multi-line names kept whole, an actor in two roles once.
    events = [EventFactory() for _ in range(3)]
    names = [
        ("Zeta", ""),
        ("alpha", "Alpha\nALPHA"),
        ("Côte d’Ivoire", "Cote d'Ivoire\nIvory Coast"),
        ("Ελλάδα", "Greece"),
        ("Éire", ""),
        ("Zeta", ""),  # another actor with exactly the same names
        ("Ünited", "United"),
    ]
    actors = [
        ActorFactory(name=name, aliases=aliases, short_name=name[:3]) for name, aliases in names
    ]
    for actor in actors:
        ParticipationFactory(event=events[0], actor=actor)
        ParticipationFactory(event=events[1], actor=actor, role=ParticipantRole.INITIATOR)
    ParticipationFactory(event=events[1], actor=actors[0], role=ParticipantRole.TARGET)
    Event.objects.update(search_actors="stale")

    Event.objects.filter(pk__in=[event.pk for event in events]).refresh_search_actors()

    for event in events:
        assert search_text(event) == python_search_text(event)
    assert search_text(events[2]) == ""  # no participants
    assert search_text(events[0]).count("Zeta") == 1


def test_one_event_and_many_events_are_refreshed_to_the_same_text():
    event = EventFactory()
    for name in ("Saudi Arabia", "United States", "Russia"):
        ParticipationFactory(event=event, actor=ActorFactory(name=name))
    Event.objects.filter(pk=event.pk).update(search_actors="stale")
    event.refresh_search_actors()
    one = search_text(event)
    assert event.search_actors == one

    Event.objects.filter(pk=event.pk).update(search_actors="stale")
    Event.objects.filter(pk=event.pk).refresh_search_actors()

    assert search_text(event) == one == "Russia\nSaudi Arabia\nUnited States"


def test_a_removed_alias_is_dropped_from_the_events():
    actor = PersonFactory(name="Volodymyr Zelensky", aliases="Zelenskyy\nZelenskiy")
    event = ParticipationFactory(actor=actor).event

    actor.aliases = "Zelenskyy"
    actor.save()

    assert "Zelenskiy" not in search_text(event)
    assert search_text(event) == actor.search_names == python_search_text(event)


def test_a_name_shortened_to_part_of_itself_replaces_the_old_one():
    actor = ActorFactory(name="Republic of Korea")
    event = ParticipationFactory(actor=actor).event

    actor.name = "Korea"
    actor.save()

    assert search_text(event) == "Korea"


def test_saving_an_actor_without_changing_its_names_leaves_its_events_alone():
    actor = StateFactory(name="Freedonia")
    for _ in range(3):
        ParticipationFactory(actor=actor)
    actor = Actor.objects.get(pk=actor.pk)
    actor.description = "A small country."

    with CaptureQueriesContext(connection) as queries:
        actor.save()

    assert events_updated(queries.captured_queries) == []


def test_renaming_an_actor_leaves_other_events_and_other_names_alone():
    renamed = ActorFactory(name="Old name")
    partner = ActorFactory(name="Partner")
    shared = EventFactory()
    ParticipationFactory(event=shared, actor=renamed)
    ParticipationFactory(event=shared, actor=partner)
    other = ParticipationFactory(actor=partner).event
    version = Event.objects.get(pk=shared.pk).version

    with revisions.recorded(reason="renamed"):
        renamed.name = "New name"
        renamed.save()

    assert search_text(shared) == "New name\nPartner"
    assert search_text(other) == "Partner"
    stored = Event.objects.get(pk=shared.pk)
    assert stored.version == version  # a derived column: no new version, no history
    assert revisions.latest(stored) is None  # the actor's revision, not the event's
