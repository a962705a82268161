"""A large import is queued and run by the worker (`manage.py db_worker`, as `make run`
starts it), with the database backend the site uses."""

import pytest
from django.core.management import call_command

from events.imports.models import Import, ImportStatus
from events.imports.pipeline import start_import
from events.models import Event
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
