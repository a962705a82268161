import pytest
from reversion.models import Revision

from events import revisions
from events.models import ChangeStamp, Event
from events.search import search_events
from tests.factories import (
    ActorFactory,
    CitationFactory,
    EventFactory,
    ParticipationFactory,
    PersonFactory,
    PublishedEventFactory,
    SourceFactory,
)


def search_text(event: Event) -> str:
    return Event.objects.get(pk=event.pk).search_actors


# -- search_actors ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_adding_a_participant_makes_the_event_searchable_by_its_names_and_aliases():
    rubio = PersonFactory(name="Marco Rubio", aliases="Marko Rubio")
    event = EventFactory(title="Rubio dismisses the idea")

    ParticipationFactory(event=event, actor=rubio)

    assert "Marco Rubio" in search_text(event)
    assert "Marko Rubio" in search_text(event)
    assert list(search_events(Event.objects.all(), "Marko")) == [event]


@pytest.mark.django_db
def test_removing_a_participant_removes_its_names():
    event = EventFactory()
    stays = ParticipationFactory(event=event, actor=ActorFactory(name="United States"))
    leaves = ParticipationFactory(event=event, actor=ActorFactory(name="Saudi Arabia"))

    leaves.delete()

    assert "Saudi Arabia" not in search_text(event)
    assert stays.actor.name in search_text(event)


@pytest.mark.django_db
def test_renaming_an_actor_updates_the_events_it_takes_part_in():
    actor = PersonFactory(name="Volodymyr Zelensky")
    involved = ParticipationFactory(actor=actor).event
    other = EventFactory()

    actor.aliases = "Zelenskyy\nVolodymyr Zelenskyy"
    actor.save()

    assert "Volodymyr Zelenskyy" in search_text(involved)
    assert search_text(other) == ""
    assert list(search_events(Event.objects.all(), "Zelenskyy")) == [involved]


@pytest.mark.django_db
def test_an_actor_renamed_away_from_an_old_name_is_no_longer_found_by_it():
    actor = ActorFactory(name="Old name")
    event = ParticipationFactory(actor=actor).event

    actor.name = "New name"
    actor.save()

    assert "Old name" not in search_text(event)
    assert "New name" in search_text(event)


@pytest.mark.django_db
def test_refreshing_search_text_writes_no_history_and_moves_the_version_once_for_the_part():
    event = EventFactory()
    version = event.version

    with revisions.recorded(reason="a participant"):
        ParticipationFactory(event=event)

    # The new participation moves its event's version (the aggregate's); the search text
    # refresh that follows it moves nothing more, and the save is one revision.
    stored = Event.objects.get(pk=event.pk)
    assert (stored.version, Revision.objects.count()) == (version + 1, 1)


# -- ChangeStamp --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("staff", [False, True], ids=["public", "staff"])
def test_the_change_stamps_count_up_on_every_save_and_delete_of_public_data(staff):
    start = ChangeStamp.current(staff=staff).counter
    event = PublishedEventFactory()
    after_create = ChangeStamp.current(staff=staff).counter
    assert after_create > start

    event.title = "Changed"
    event.save()
    after_save = ChangeStamp.current(staff=staff).counter
    assert after_save > after_create

    citation = CitationFactory(event=event)
    after_citation = ChangeStamp.current(staff=staff).counter
    assert after_citation > after_save

    citation.delete()
    assert ChangeStamp.current(staff=staff).counter > after_citation


@pytest.mark.django_db
def test_a_draft_moves_only_the_staff_stamp():
    draft, source = EventFactory(title="Draft"), SourceFactory()
    public, staff = ChangeStamp.current().counter, ChangeStamp.current(staff=True).counter
    draft.title = "Draft, edited"
    draft.save()
    CitationFactory(event=draft, source=source)
    assert ChangeStamp.current().counter == public
    assert ChangeStamp.current(staff=True).counter > staff


@pytest.mark.django_db
def test_the_change_stamp_moves_its_time_forward():
    EventFactory()
    first = ChangeStamp.current().changed_at
    EventFactory()
    assert ChangeStamp.current().changed_at >= first


@pytest.mark.django_db
def test_reading_does_not_move_the_change_stamp():
    EventFactory()
    before = ChangeStamp.current().counter
    list(Event.objects.all())
    assert ChangeStamp.current().counter == before


@pytest.mark.django_db
def test_there_is_a_stamp_even_before_the_first_change():
    ChangeStamp.objects.all().delete()
    assert ChangeStamp.current().counter == 0
    ChangeStamp.bump(public=True)
    assert ChangeStamp.current().counter == 1
    assert ChangeStamp.current(staff=True).counter == 1
