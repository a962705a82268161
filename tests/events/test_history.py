"""Revisions of whole aggregates (events.revisions): one per save, whatever the path; a diff
that includes the inline rows; a revert that restores them and keeps the invariants."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from reversion.models import Revision, Version

from events import revisions
from events.bulk import Builder, insert_rows
from events.choices import CitationStance, EventStatus, VoteOption
from events.demo.loader import DemoLoader
from events.models import (
    AidMeasure,
    Citation,
    ConcurrentEditError,
    Event,
    Participation,
    Role,
    Source,
    TimelineEntry,
)
from events.models.base import AGGREGATE_ROOTS
from events.services import event_publish, event_retract, vote_roll_replace
from tests.factories import (
    ActorFactory,
    AidMeasureFactory,
    CitationFactory,
    EventFactory,
    EventRelationFactory,
    ParticipationFactory,
    PublishedEventFactory,
    RoleFactory,
    SourceFactory,
    StateFactory,
    TimelineEntryFactory,
    VoteRecordFactory,
)


def parts_of(entry) -> set[tuple[str, str]]:
    return {(part.part, part.action) for part in entry.diff.parts}


def test_every_part_of_an_aggregate_is_reached_from_its_root():
    reached = set()

    def walk(label):
        for name in revisions.FOLLOW.get(label, ()):
            related = apps.get_model(label)._meta.get_field(name).related_model
            reached.add(related._meta.label_lower)
            walk(related._meta.label_lower)

    for root in ("events.event", "events.timeline", "events.actor"):
        walk(root)
    assert reached == set(AGGREGATE_ROOTS)


def test_a_service_call_records_the_acting_user_and_what_it_did(editor):
    event = CitationFactory().event

    event_publish(event=event, user=editor)

    revision = revisions.latest(event)
    assert (revision.user, revision.comment) == (editor, "Published")
    (entry,) = revisions.history(event)
    assert ("status", "Published") in {(c.field, c.new) for c in entry.diff.changes}


def test_a_retraction_is_recorded_with_its_reason_and_editor(editor):
    event = PublishedEventFactory()

    event_retract(event=event, user=editor, reason="The date was wrong.")

    revision = revisions.latest(event)
    assert (revision.user, revision.comment) == (editor, "Retracted: The date was wrong.")


def test_saves_inside_one_block_are_one_revision_of_the_aggregate(curator):
    event = EventFactory(title="Aid paused")
    with revisions.recorded(curator, "Add the evidence"):
        event.title = "Military aid paused"
        event.save()
        CitationFactory(event=event)
        ParticipationFactory(event=event)

    assert Revision.objects.count() == 1
    (entry,) = revisions.history(event)
    assert (entry.revision.user, entry.revision.comment) == (curator, "Add the evidence")
    assert parts_of(entry) == {("citation", "added"), ("participation", "added")}
    title = next(c for c in entry.diff.changes if c.field == "title")
    assert (title.old, title.new) == ("—", "Military aid paused")  # the first revision


def test_a_change_to_one_part_is_a_revision_of_its_event_with_that_part_in_the_diff(curator):
    citation = CitationFactory(stance=CitationStance.SUPPORTS)
    event = citation.event
    with revisions.recorded(curator, "first"):
        event.save()
    with revisions.recorded(curator, "Downgrade"):
        citation.stance = CitationStance.CONTEXT
        citation.save()

    newest, _first = revisions.history(event)
    assert newest.diff.changes == []  # the event's own fields did not change
    (part,) = newest.diff.parts
    assert (part.part, part.action) == ("citation", "changed")
    assert [(c.field, c.old, c.new) for c in part.changes] == [("stance", "Supports", "Context")]


def test_a_removed_row_is_shown_as_removed(curator):
    participation = ParticipationFactory()
    event = participation.event
    with revisions.recorded(curator):
        event.save()
    with revisions.recorded(curator):
        participation.delete()

    newest, _first = revisions.history(event)
    assert parts_of(newest) == {("participation", "removed")}


def test_deleting_an_event_records_the_relation_another_event_loses(curator):
    relation = EventRelationFactory()
    owner, deleted = relation.from_event, relation.to_event
    with revisions.recorded(curator):
        owner.save()
    version = Event.objects.get(pk=owner.pk).version
    with revisions.recorded(curator, "removed"):
        deleted.delete()  # its relations from other events go with it

    assert Event.objects.get(pk=owner.pk).version == version + 1  # a stale form is refused
    newest, _first = revisions.history(owner)
    assert newest.revision.comment == "removed"
    assert parts_of(newest) == {("event relation", "removed")}


def test_a_bulk_delete_records_the_relations_events_it_keeps_lose(curator):
    # The admin's "delete selected" deletes a queryset: the events deleted together keep
    # nothing to record, the one kept records the loss.
    kept, first, second = EventFactory(), EventFactory(), EventFactory()
    EventRelationFactory(from_event=kept, to_event=first)
    EventRelationFactory(from_event=first, to_event=second)
    with revisions.recorded(curator):
        kept.save()
    versions = dict(Event.objects.values_list("pk", "version"))
    with revisions.recorded(curator, "removed together"):
        Event.objects.filter(pk__in=[first.pk, second.pk]).delete()

    assert Event.objects.get(pk=kept.pk).version == versions[kept.pk] + 1
    newest, *_older = revisions.history(kept)
    assert newest.revision.comment == "removed together"
    assert parts_of(newest) == {("event relation", "removed")}


def test_a_rolled_back_change_records_nothing(curator):
    event = EventFactory()
    with revisions.recorded(curator):
        event.save()
    with pytest.raises(ValueError), revisions.recorded(curator, "never"):
        event.title = "Not saved"
        event.save()
        raise ValueError
    assert Revision.objects.count() == 1


def test_versions_written_in_hand_inside_a_rolled_back_savepoint_open_a_new_revision(curator):
    def inserted(url: str) -> Source:
        source = Builder(Source)(url=url, title=url)
        insert_rows(Source, [source])
        revisions.record([[source]])
        return source

    with revisions.recorded(curator, "bulk"):
        with transaction.atomic():
            gone = inserted("https://example.org/gone")
            transaction.set_rollback(True)
        kept = inserted("https://example.org/kept")
        also = inserted("https://example.org/also")  # no rollback since: the same revision
    assert not Source.objects.filter(url=gone.url).exists()
    (revision,) = Revision.objects.all()
    assert {v.object_id for v in Version.objects.filter(revision=revision)} == {
        str(kept.pk), str(also.pk),
    }  # fmt: skip


def test_a_bulk_vote_roll_is_recorded_in_the_revision_of_its_event(editor):
    record = VoteRecordFactory(yes_count=2, no_count=1)
    with revisions.recorded(editor, "before the roll"):
        record.event.save()
    roll = [
        {"actor": StateFactory(), "option": VoteOption.YES},
        {"actor": StateFactory(), "option": VoteOption.NO},
    ]
    vote_roll_replace(record=record, roll=roll, user=editor)

    entry, _before = revisions.history(record.event)  # the bulk insert moved no version
    assert (entry.revision.user, entry.revision.comment) == (editor, "Vote roll replaced")
    assert [p.action for p in entry.diff.parts if p.part == "country vote"] == ["added"] * 2


def test_the_demo_loader_is_one_revision_by_its_user_with_its_reason(editor):
    DemoLoader.from_file(user=editor).run()

    (revision,) = Revision.objects.all()
    assert (revision.user, revision.comment) == (editor, "load_demo")
    assert Version.objects.filter(revision=revision).count() > 100
    assert DemoLoader.from_file(user=editor).run().changed is False
    assert Revision.objects.count() == 1  # a second run changes nothing and records nothing


def test_timelines_record_their_entries_and_actors_their_posts(curator):
    entry = TimelineEntryFactory(caption="Sign 1")
    person = RoleFactory().person
    with revisions.recorded(curator):
        entry.caption = "Sign one"
        entry.save()
        Role.objects.filter(person=person).first().save()

    (timeline_entry,) = revisions.history(entry.timeline)
    assert parts_of(timeline_entry) == {("timeline entry", "added")}
    (actor_entry,) = revisions.history(person)
    assert parts_of(actor_entry) == {("post", "added")}  # a Role is a "post" to readers


# --- revert ------------------------------------------------------------------------------------


def _two_revisions(curator):
    """An event recorded with a participant, a supporting citation and an aid measure, then
    changed everywhere: a participant removed, a citation added, the aid measure changed."""
    aid = AidMeasureFactory(amount=None, currency="")
    event = aid.event
    participation = ParticipationFactory(event=event)
    participation_pk = participation.pk
    CitationFactory(event=event, quote="The first quote.")
    with revisions.recorded(curator, "as it was"):
        event.title = "As it was"
        event.save()
    first = revisions.latest(event)
    with revisions.recorded(curator, "later"):
        event.title = "Changed later"
        event.save()
        participation.delete()
        CitationFactory(event=event, quote="A later citation.")
        aid.amount, aid.currency = 100, "USD"
        aid.save()
    event.refresh_from_db()
    return event, first, participation_pk


def test_a_revert_restores_the_inline_rows_and_is_itself_a_revision(curator, editor):
    event, first, participation_pk = _two_revisions(curator)

    revisions.revert(root=event, revision_id=first.pk, user=editor, version=event.version)

    event.refresh_from_db()
    assert event.title == "As it was"
    assert Participation.objects.filter(pk=participation_pk, event=event).exists()  # back
    assert list(Citation.objects.filter(event=event).values_list("quote", flat=True)) == [
        "The first quote."
    ]  # the later citation is gone
    aid = AidMeasure.objects.get(event=event)
    assert (aid.amount, aid.currency) == (None, "")
    newest = revisions.history(event)[0]
    assert newest.revision.user == editor
    assert newest.revision.comment.startswith("Reverted to the revision of")
    assert parts_of(newest) == {
        ("participation", "added"),
        ("citation", "removed"),
        ("aid measure", "changed"),
    }
    assert event.updated_by == editor


def test_a_revert_moves_the_version_and_refuses_a_stale_one(curator, editor):
    event, first, _ = _two_revisions(curator)
    stale = event.version - 1

    with pytest.raises(ConcurrentEditError):
        revisions.revert(root=event, revision_id=first.pk, user=editor, version=stale)
    assert Event.objects.get(pk=event.pk).title == "Changed later"

    revisions.revert(root=event, revision_id=first.pk, user=editor, version=event.version)
    assert Event.objects.get(pk=event.pk).version > event.version


def test_a_revert_that_would_leave_a_published_event_unsupported_is_refused(curator, editor):
    event = EventFactory()
    with revisions.recorded(curator, "no citation yet"):
        event.save()
    bare = revisions.latest(event)
    CitationFactory(event=event)
    event_publish(event=event, user=editor)
    event.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        revisions.revert(root=event, revision_id=bare.pk, user=editor, version=event.version)

    assert "last citation with stance “supports”" in " ".join(refused.value.messages)
    assert event.citations.count() == 1
    assert Event.objects.get(pk=event.pk).version == event.version  # nothing was written


def test_a_revert_keeps_the_status(curator, editor):
    event = CitationFactory(event=EventFactory(title="Draft title")).event
    with revisions.recorded(curator):
        event.save()
    draft = revisions.latest(event)
    event_publish(event=event, user=editor)
    event.refresh_from_db()

    revisions.revert(root=event, revision_id=draft.pk, user=editor, version=event.version)

    assert Event.objects.get(pk=event.pk).status == EventStatus.PUBLISHED


def test_a_timeline_revert_restores_its_entries(curator, editor):
    entry = TimelineEntryFactory(caption="Sign 1")
    timeline = entry.timeline
    with revisions.recorded(curator):
        timeline.save()
    first = revisions.latest(timeline)
    with revisions.recorded(curator):
        entry.delete()
    timeline.refresh_from_db()

    revisions.revert(root=timeline, revision_id=first.pk, user=editor, version=timeline.version)

    assert list(TimelineEntry.objects.filter(timeline=timeline).values_list("caption")) == [
        ("Sign 1",)
    ]


def test_an_actor_revert_restores_its_posts_dates(curator, editor):
    role = RoleFactory(start_date=dt.date(2025, 1, 20), end_date=None)
    person = role.person
    with revisions.recorded(curator):
        person.save()
    first = revisions.latest(person)
    role.end_date = dt.date(2025, 5, 1)
    role.save()
    person.refresh_from_db()

    revisions.revert(root=person, revision_id=first.pk, user=editor, version=person.version)

    assert Role.objects.get(pk=role.pk).end_date is None


def test_a_source_revert_restores_its_fields(curator, editor):
    source = SourceFactory(title="Old title")
    with revisions.recorded(curator):
        source.save()
    first = revisions.latest(source)
    with revisions.recorded(curator):
        source.title = "New title"
        source.save()

    revisions.revert(root=source, revision_id=first.pk, user=editor, version=source.version)

    source.refresh_from_db()
    assert source.title == "Old title"


def test_a_revision_of_another_object_cannot_be_reverted_to(curator, editor):
    with revisions.recorded(curator):
        other = ActorFactory()
    actor = ActorFactory()
    with pytest.raises(ValidationError):
        revisions.revert(root=actor, revision_id=revisions.latest(other).pk, user=editor, version=1)


def _history_queries(event) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        revisions.history(event)
    return len(queries)


def test_reading_the_history_costs_as_many_queries_for_ten_revisions_as_for_two(curator):
    event = CitationFactory().event
    for number in range(2):
        with revisions.recorded(curator, f"edit {number}"):
            event.title = f"Title {number}"
            event.save()
    few = _history_queries(event)
    for number in range(8):
        with revisions.recorded(curator, f"more {number}"):
            event.title = f"More {number}"
            event.save()
            ParticipationFactory(event=event)

    assert _history_queries(event) <= few + 1  # + the participants' actors, named once
