"""bench/imports.py's files go through the pipeline (a tiny run, so the benchmark cannot rot)."""

import pytest
from django.db import connection

from bench.imports import _ensure_actors, _undo, sheet_file, votes_file
from events.imports.models import ImportStatus
from events.imports.pipeline import start_import
from events.models import Event, Source, VoteRecord

pytestmark = pytest.mark.django_db


def test_the_benchmark_sheet_imports_cleanly():
    _ensure_actors()
    result = start_import(data=sheet_file(30, seed=1), file_name="b.csv", user=None)
    assert (result.status, result.created_count, result.rejected_count) == (
        ImportStatus.DONE,
        30,
        0,
    )


def test_the_benchmark_votes_import_cleanly():
    _ensure_actors()
    result = start_import(data=votes_file(3, 193, seed=1), file_name="v.csv", user=None)
    assert (result.status, result.created_count) == (ImportStatus.DONE, 3)
    assert all(record.roll_complete for record in VoteRecord.objects.all())
    assert VoteRecord.objects.first().country_votes.count() == 193


def test_the_benchmark_undoes_its_import():
    _ensure_actors()
    result = start_import(data=sheet_file(30, seed=2), file_name="b.csv", user=None)
    figures = _undo(result, connection)
    assert figures["undo_problems"] == 0
    assert figures["undo_counts"] == {"deleted": 60, "restored": 0, "kept": 0}
    assert not Event.objects.exists() and not Source.objects.exists()
