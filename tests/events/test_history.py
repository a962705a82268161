import datetime as dt

import pytest

from events.choices import EventStatus
from events.models import ConcurrentEditError, Event, Participation, Role
from events.services import event_publish, event_retract
from tests.factories import (
    ActorFactory,
    CitationFactory,
    EventFactory,
    ParticipationFactory,
    PublishedEventFactory,
    RoleFactory,
)


def test_a_service_call_records_the_acting_user(editor):
    event = CitationFactory().event

    event_publish(event=event, user=editor)

    record = event.history.latest()
    assert (record.history_type, record.status, record.history_user) == (
        "~",
        EventStatus.PUBLISHED,
        editor,
    )


def test_a_retraction_is_recorded_with_its_reason_and_editor(editor):
    event = PublishedEventFactory()

    event_retract(event=event, user=editor, reason="The date was wrong.")

    record = event.history.latest()
    assert (record.status, record.retraction_reason, record.history_user) == (
        EventStatus.RETRACTED,
        "The date was wrong.",
        editor,
    )


def test_a_save_records_the_user_and_reason_it_is_given(curator):
    actor = ActorFactory(name="Russia")
    actor.name = "Russian Federation"
    actor._history_user = curator
    actor._change_reason = "Official name"
    actor.save()

    record = actor.history.latest()
    assert (record.name, record.history_user, record.history_change_reason) == (
        "Russian Federation",
        curator,
        "Official name",
    )
    assert actor.history.earliest().history_user is None  # the factory gave no user


def test_every_curated_model_records_creation_and_deletion(curator):
    participation = ParticipationFactory()
    pk = participation.pk
    participation._history_user = curator
    participation.delete()

    records = Participation.history.filter(id=pk).order_by("history_id")
    assert [(r.history_type, r.history_user) for r in records] == [("+", None), ("-", curator)]


def test_the_history_shows_what_changed(db):
    event = EventFactory(title="Aid paused")
    event.title = "Military aid paused"
    event.save()

    new, old = event.history.order_by("-history_id")[:2]
    assert "title" in new.diff_against(old).changed_fields
    change = next(c for c in new.diff_against(old).changes if c.field == "title")
    assert (change.old, change.new) == ("Aid paused", "Military aid paused")


def test_reverting_an_event_restores_the_old_values(editor):
    event = EventFactory(title="Aid paused", summary="Old summary.", importance=3)
    event.title, event.summary, event.importance = "Edited", "New summary.", 5
    event.save()
    old = event.history.earliest().instance

    # A revert saves the old values over the current row, so it carries the row's version
    # (as the admin's revert form does); the old record's own version is stale.
    old.version = Event.objects.get(pk=event.pk).version
    old._history_user = editor
    old.save()

    stored = Event.objects.get(pk=event.pk)
    assert (stored.title, stored.summary, stored.importance) == ("Aid paused", "Old summary.", 3)
    assert stored.version == 3
    assert event.history.latest().history_user == editor
    assert event.history.count() == 3  # created, edited, reverted: nothing is lost


def test_a_revert_from_a_stale_copy_is_refused_like_any_stale_save(db):
    event = EventFactory(title="Aid paused")
    event.title = "Edited"
    event.save()

    with pytest.raises(ConcurrentEditError):
        event.history.earliest().instance.save()
    stored = Event.objects.get(pk=event.pk)
    assert (stored.title, stored.version) == ("Edited", 2)  # never back to version 1


def test_reverting_a_role_restores_its_dates(db):
    role = RoleFactory(start_date=dt.date(2025, 1, 20), end_date=None)
    role.end_date = dt.date(2025, 5, 1)
    role.save()

    role.history.earliest().instance.save()

    assert Role.objects.get(pk=role.pk).end_date is None
