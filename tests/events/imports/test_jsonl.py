"""The dataset file read back: export, import into an empty database, export again: the same
bytes; and importing it twice changes nothing."""

import pytest
from django.core.management import call_command

from events.dataset.jsonl import jsonl_lines
from events.imports.models import ImportStatus
from events.imports.pipeline import start_import
from events.models import Actor, Event, EventType, Source, Timeline

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
