"""The migrations that read django-simple-history's tables: 0009 (when an event was first
published) and 0012 (the records become revisions of whole aggregates). The tables are gone
after 0012, so each test builds them from the migration state before it, fills them as
simple-history did, runs the migration's function, and drops them again."""

import datetime as dt
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from reversion.models import Revision

from events import revisions
from events.choices import EventStatus
from events.models import Event
from tests.factories import CitationFactory, EventFactory, ParticipationFactory, UserFactory

HISTORICAL = (
    "HistoricalEvent",
    "HistoricalParticipation",
    "HistoricalCitation",
    "HistoricalAidMeasure",
    "HistoricalVoteRecord",
    "HistoricalCountryVote",
    "HistoricalEventRelation",
    "HistoricalTimeline",
    "HistoricalTimeline_query_actors",
    "HistoricalTimeline_query_types",
    "HistoricalTimelineEntry",
    "HistoricalActor",
    "HistoricalRole",
    "HistoricalSource",
    "HistoricalEventType",
)


@pytest.fixture
def before_revisions(transactional_db):
    """The apps as they were before 0012, with simple-history's tables in the database."""
    state = MigrationExecutor(connection).loader.project_state(
        [
            ("events", "0011_taxonomy_codes"),
            ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ]
    )
    old = state.apps
    models = [old.get_model("events", name) for name in HISTORICAL]
    with connection.schema_editor() as editor:
        for model in models:
            editor.create_model(model)
    try:
        yield old
    finally:
        with connection.schema_editor() as editor:
            for model in reversed(models):
                editor.delete_model(model)


class _Editor:
    connection = connection


def _record(old, name, obj, *, when, user=None, kind="~", reason=None, **extra):
    """A record as simple-history wrote it: the row's values, then who, when, why."""
    model = old.get_model("events", f"Historical{name}")
    values = {
        f.attname: getattr(obj, f.attname)
        for f in type(obj)._meta.concrete_fields
        if f.attname in {g.attname for g in model._meta.concrete_fields}
    }
    return model.objects.create(
        **values,
        **extra,
        history_date=when,
        history_type=kind,
        history_user_id=user.pk if user else None,
        history_change_reason=reason,
    )


def test_0009_finds_an_earlier_publication_in_the_history(before_revisions):
    event = EventFactory(status=EventStatus.DRAFT)
    never = EventFactory(status=EventStatus.DRAFT)
    first = timezone.now() - dt.timedelta(days=3)
    event.status = EventStatus.PUBLISHED
    _record(before_revisions, "Event", event, when=first)

    import_module("events.migrations.0009_integrity_invariants").fill_first_published(
        before_revisions, None
    )

    assert Event.objects.get(pk=event.pk).first_published_at == first
    assert Event.objects.get(pk=never.pk).first_published_at is None


def test_0011_turns_the_records_into_revisions_of_whole_aggregates(before_revisions):
    curator = UserFactory(username="curator-then")
    citation = CitationFactory(quote="Kept.")
    event = citation.event
    gone = ParticipationFactory(event=event)
    start = timezone.now() - dt.timedelta(days=2)
    old = before_revisions
    # One admin save: the event and its inline rows, a few milliseconds apart.
    event.title = "First title"
    _record(old, "Event", event, when=start, user=curator, kind="+")
    _record(old, "Citation", citation, when=start + dt.timedelta(milliseconds=5), user=curator)
    _record(old, "Participation", gone, when=start + dt.timedelta(milliseconds=9), user=curator)
    # A day later, another curator removes the participant and renames the event.
    later = start + dt.timedelta(days=1)
    _record(old, "Participation", gone, when=later, kind="-", reason="Wrong actor")
    event.title = "Second title"
    _record(old, "Event", event, when=later + dt.timedelta(milliseconds=3), reason="Wrong actor")
    gone.delete()

    import_module("events.migrations.0012_revisions").history_to_revisions(old, _Editor())

    newest, first = revisions.history(event)
    assert (first.revision.user, first.revision.comment) == (curator, "Recorded before revisions")
    assert first.revision.date_created == start + dt.timedelta(milliseconds=9)
    assert {(p.part, p.action) for p in first.diff.parts} == {
        ("citation", "added"),
        ("participation", "added"),
    }
    assert newest.revision.comment == "Wrong actor"
    assert {(p.part, p.action) for p in newest.diff.parts} == {("participation", "removed")}
    assert [(c.field, c.old, c.new) for c in newest.diff.changes] == [
        ("title", "First title", "Second title")
    ]
    assert Revision.objects.count() == 2
