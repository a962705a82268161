"""The dataset file read back: export, import into an empty database, export again: the same
bytes; and importing it twice changes nothing."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import revisions
from events.dataset.jsonl import jsonl_lines
from events.imports.models import ImportStatus
from events.imports.pipeline import start_import
from events.models import (
    Actor,
    ChangeStamp,
    Event,
    EventType,
    PublicChange,
    Source,
    Timeline,
)
from tests.factories import (
    CitationFactory,
    ParticipationFactory,
    PersonFactory,
    PublishedEventFactory,
    SourceFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


def export(**options) -> bytes:
    return b"".join(jsonl_lines(**options))


def empty_database() -> None:
    """Every row the dataset covers, gone (children first, as PROTECT requires)."""
    from events.models import Role, TimelineEntry

    TimelineEntry.objects.all().delete()
    Timeline.objects.all().delete()
    Event.objects.update(first_published_at=None, status="draft")  # tombstones may go here
    Event.objects.all().delete()
    Source.objects.all().delete()
    Role.objects.all().delete()
    Actor.objects.filter(parent__isnull=False).delete()
    Actor.objects.all().delete()


@pytest.mark.flushes_database
@pytest.mark.parametrize("include_drafts", [False, True])
def test_export_import_export_gives_the_same_bytes(
    transactional_db, export_dataset, include_drafts, tmp_path
):
    timeline = Timeline.objects.get(slug="tl-public")
    timeline.query_actors.set(Actor.objects.filter(slug="alpha"))
    timeline.query_types.set(EventType.objects.filter(slug="summit"))
    first = export(include_drafts=include_drafts)
    call_command("flush", interactive=False, verbosity=0)
    assert not Event.objects.exists() and not EventType.objects.exists()
    path = tmp_path / "dataset.jsonl"
    path.write_bytes(first)
    call_command("import_data", str(path))
    assert export(include_drafts=include_drafts) == first
    # The bulk path writes each event's search names and participant ids with its INSERT.
    assert Event.objects.filter(participations__isnull=False).exists()
    assert not Event.objects.with_stale_participants().exists()


def test_importing_a_dataset_twice_changes_nothing(export_dataset):
    data = export(include_drafts=True)
    result = start_import(data=data, file_name="d.jsonl", user=None)
    assert result.status == ImportStatus.DONE
    assert (result.created_count, result.updated_count) == (0, 0)
    assert result.unchanged_count == len(data.splitlines()) - 1


def test_a_dry_run_of_a_dataset_writes_nothing(export_dataset):
    data = export(include_drafts=True)
    empty_database()
    result = start_import(data=data, file_name="d.jsonl", user=None, dry_run=True)
    assert result.status == ImportStatus.DRY_RUN
    assert result.created_count > 0
    assert not Event.objects.exists()
    assert EventType.objects.exists()  # the taxonomy is untouched


def test_a_curator_imports_a_datasets_events_as_drafts(export_dataset, curator):
    data = export()
    empty_database()
    result = start_import(data=data, file_name="d.jsonl", user=curator)
    assert result.status == ImportStatus.DONE
    assert set(Event.objects.values_list("status", flat=True)) == {"draft"}


def test_a_file_without_a_header_is_refused():
    result = start_import(data=b'{"type":"event"}\n', file_name="d.jsonl", user=None)
    assert result.status == ImportStatus.REFUSED
    assert "dataset header" in result.report["refused"]


def test_undoing_a_dataset_import_removes_what_it_created(export_dataset, curator):
    from events.imports.undo import import_undo, undo_problems

    data = export(include_drafts=True)
    empty_database()
    result = start_import(data=data, file_name="d.jsonl", user=curator)  # drafts
    assert Event.objects.exists() and Timeline.objects.exists()
    assert undo_problems(result) == []
    import_undo(import_run=result, user=curator)
    assert not Event.objects.exists()
    assert not Timeline.objects.exists()


def test_a_dataset_import_that_published_events_cannot_be_undone(export_dataset, editor):
    from events.imports.undo import undo_problems

    data = export()
    empty_database()
    result = start_import(data=data, file_name="d.jsonl", user=editor)
    assert any("never deleted" in problem for problem in undo_problems(result))


def test_undoing_a_dataset_import_restores_the_parts_it_replaced(export_dataset, editor):
    """Participants, citations, relations, a vote's roll and a timeline's entries that the
    import replaced come back exactly: the dataset exports to the same bytes as before."""
    import orjson

    from events.imports.undo import import_undo, undo_problems

    before = export(include_drafts=True)
    records = [orjson.loads(line) for line in before.splitlines()]
    for record in records:
        if record["type"] == "event" and record["slug"] == "summit":
            record["title"] = "Summit, renamed"
            record["participations"] = record["participations"][:1]
            record["participations"][0]["note"] = "changed"
            record["citations"] = [c for c in record["citations"] if c["stance"] != "context"]
            record["relations"] = record["relations"][:1]
        elif record["type"] == "event" and record["slug"] == "a-vote":  # parts only
            roll = record["vote_record"]["roll"]
            roll[0]["option"], roll[1]["option"] = roll[1]["option"], roll[0]["option"]
        elif record["type"] == "timeline" and record["slug"] == "tl-public":
            record["entries"] = record["entries"][:1]
            record["query_actors"] = ["alpha"]
    changed = b"".join(orjson.dumps(record) + b"\n" for record in records)
    result = start_import(data=changed, file_name="d.jsonl", user=editor)
    assert result.status == ImportStatus.DONE
    assert result.updated_count == 3
    assert export(include_drafts=True) != before
    assert undo_problems(result) == []
    import_undo(import_run=result, user=editor)
    assert export(include_drafts=True) == before


def events_file(count: int, data: bytes) -> bytes:
    """The dataset `data` with only its first `count` events (every other record kept)."""
    lines, kept = data.splitlines(keepends=True), 0
    out = []
    for line in lines:
        if b'"type":"event",' in line:
            kept += 1
            if kept > count:
                continue
        out.append(line)
    return b"".join(out)


@pytest.fixture
def twelve_events(db):
    alpha = StateFactory(slug="alpha", iso3="ALP")
    person = PersonFactory(slug="person")
    for number in range(12):
        event = PublishedEventFactory(slug=f"event-{number:02}")
        ParticipationFactory(event=event, actor=alpha)
        ParticipationFactory(event=event, actor=person, role="initiator")
        CitationFactory(event=event, source=SourceFactory(url=f"https://example.org/{number}"))
    return export(include_drafts=True)


def test_a_dataset_import_costs_the_same_queries_for_3_events_as_for_12(twelve_events, editor):
    counts = {}
    for count in (1, 3, 12):  # the first one warms the caches (content types)
        empty_database()
        with CaptureQueriesContext(connection) as queries:
            result = start_import(
                data=events_file(count, twelve_events), file_name="d.jsonl", user=editor
            )
        assert result.status == ImportStatus.DONE, result.report
        assert Event.objects.count() == count
        counts[count] = len(queries)
    assert counts[12] == counts[3]


def test_a_dataset_import_is_recorded_as_one_revision_of_the_import(export_dataset, editor):
    data = export(include_drafts=True)
    empty_database()
    result = start_import(data=data, file_name="d.jsonl", user=editor)
    summit = Event.objects.get(slug="summit")
    revision = revisions.latest(summit)
    assert revision.user == editor
    assert revision.comment == result.change_reason
    state = revisions.current_state(summit)
    recorded = revisions.state_at(summit, revision.pk)
    assert recorded.parts == state.parts and recorded.parts  # the parts, as stored
    assert revisions.latest(Timeline.objects.get(slug="tl-public")).pk == revision.pk


def test_a_dataset_import_moves_the_public_stamp_and_logs_the_events_it_publishes(
    export_dataset, editor
):
    data = export()
    empty_database()
    before = ChangeStamp.current().counter
    PublicChange.objects.all().delete()
    start_import(data=data, file_name="d.jsonl", user=editor)
    assert ChangeStamp.current().counter > before
    logged = dict(PublicChange.objects.values_list("slug", "kind"))
    assert logged == {"summit": "published", "a-vote": "published", "aid-pause": "retracted"}


def test_a_dataset_import_refuses_an_invalid_record_and_writes_nothing(export_dataset, editor):
    import orjson

    data = export(include_drafts=True)
    empty_database()
    records = [orjson.loads(line) for line in data.splitlines()]
    for record in records:
        if record["type"] == "event" and record["slug"] == "aid-pause":
            record["aid_measures"][0]["currency"] = ""  # an amount without its currency
    broken = b"".join(orjson.dumps(record) + b"\n" for record in records)
    result = start_import(data=broken, file_name="d.jsonl", user=editor)
    assert result.status == ImportStatus.FAILED
    assert "aid-pause" not in result.report["refused"]  # it names the line instead
    assert "Line " in result.report["refused"] and "currency" in result.report["refused"]
    assert not Event.objects.exists() and not Actor.objects.exists()


@pytest.mark.flushes_database
def test_a_dataset_import_refuses_a_vote_record_on_an_event_that_is_not_a_un_vote(
    export_dataset, editor
):
    import orjson

    data = export(include_drafts=True)
    empty_database()
    records = [orjson.loads(line) for line in data.splitlines()]
    (vote_event,) = [r for r in records if r["type"] == "event" and r["vote_record"]]
    vote_event["event_type"] = "statement"  # a statement cannot carry a roll call
    broken = b"".join(orjson.dumps(record) + b"\n" for record in records)
    result = start_import(data=broken, file_name="d.jsonl", user=editor)
    assert result.status == ImportStatus.FAILED
    assert "belongs to an event of type “UN vote”" in result.report["refused"]
    assert not Event.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_a_large_dataset_import_refreshes_the_statistics_of_the_tables_it_filled(
    twelve_events, editor, monkeypatch
):
    """So that PostgreSQL reads the new rows back for the revision by index, not by scanning
    a table it believes empty once per chunk of events."""
    from events.imports.formats import jsonl

    monkeypatch.setattr(jsonl, "ANALYZE_AFTER", 10)  # as if the file were large
    empty_database()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_participation")  # empty: what a new database knows
        start_import(data=twelve_events, file_name="d.jsonl", user=editor)
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'events_participation'")
        assert cursor.fetchone()[0] == 24
