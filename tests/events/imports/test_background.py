"""A large import is queued and run by the worker (`manage.py db_worker`, as `make run`
starts it), with the database backend the site uses."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from events.imports.models import Import, ImportStatus
from events.imports.pipeline import start_import
from events.models import Event, Source
from tests.events.imports.files import sheet
from tests.factories import event_type

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_import_to_the_end(settings, curator):
    settings.TASKS = DATABASE_TASKS
    settings.IMPORT_BACKGROUND_ROWS = 2
    # A transactional test may follow another that flushed the seeded taxonomy.
    event_type("statement")
    rows = [{"Year": 2025, "Month": 1, "Day": day, "Headline": f"Day {day}"} for day in (1, 2, 3)]
    queued = start_import(data=sheet(*rows), file_name="big.csv", user=curator)
    assert queued.status == ImportStatus.QUEUED
    assert not Event.objects.exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    done = Import.objects.get(pk=queued.pk)
    assert done.status == ImportStatus.DONE
    assert (done.created_count, done.rows_done, done.rows_total) == (3, 3, 3)
    assert Event.objects.count() == 3
    assert done.content is None


def _imported_then_large(settings, year: int) -> Import:
    """An import of three rows (six written: events and sources), written now; from here on
    anything over two rows is large."""
    settings.TASKS = DATABASE_TASKS
    event_type("statement")
    rows = [
        {
            "Year": year,
            "Month": 1,
            "Day": day,
            "Headline": f"Day {day}",
            "Media": f"https://e.org/{day}",
        }
        for day in (1, 2, 3)
    ]
    done = start_import(data=sheet(*rows), file_name="big.csv", user=None, background=False)
    assert done.status == ImportStatus.DONE
    settings.IMPORT_BACKGROUND_ROWS = 2
    return done


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_large_import_is_undone_in_the_background(settings, superuser_client):
    # (A superuser: a transactional test may follow another that flushed the groups.)
    done = _imported_then_large(settings, 2024)
    page = superuser_client.post(reverse("admin:imports_undo", args=[done.pk]), follow=True)
    assert "is being undone in the background" in page.content.decode()
    assert Import.objects.get(pk=done.pk).status == ImportStatus.UNDOING
    assert Event.objects.count() == 3  # not yet: the worker does it
    page = superuser_client.get(reverse("admin:imports_import_change", args=[done.pk])).content
    assert b"being undone in the background" in page and b'http-equiv="refresh"' in page
    assert b"Undo this import" not in page
    # Pressed again while queued: still one undo.
    again = superuser_client.post(reverse("admin:imports_undo", args=[done.pk]), follow=True)
    assert "is being undone already" in again.content.decode()
    assert DBTaskResult.objects.count() == 1
    _run_worker()
    undone = Import.objects.get(pk=done.pk)
    assert undone.status == ImportStatus.UNDONE
    assert undone.report["undone"]["by"] == "root"
    assert undone.report["undone"]["deleted"] == 6
    assert not Event.objects.exists() and not Source.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_row_edited_before_the_worker_undoes_nothing_and_says_why(settings, superuser_client):
    done = _imported_then_large(settings, 2023)
    superuser_client.post(reverse("admin:imports_undo", args=[done.pk]))
    Event.objects.filter(title="Day 2").update(version=99)  # edited meanwhile (any path)
    _run_worker()
    back = Import.objects.get(pk=done.pk)
    assert back.status == ImportStatus.DONE
    assert "“Day 2” (row 3) was edited after the import" in back.report["undo_refused"][0]
    assert Event.objects.count() == 3
    page = superuser_client.get(reverse("admin:imports_import_change", args=[done.pk])).content
    assert "The last undo in the background undid nothing" in page.decode()
