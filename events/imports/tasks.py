"""Large imports run here, in the worker (`manage.py db_worker`, started by `make run`)."""

from django_tasks import task

from events.imports.models import Import, ImportStatus
from events.imports.pipeline import run_import


@task()
def run_import_task(import_id: int) -> None:
    import_run = Import.objects.get(pk=import_id)
    if import_run.status != ImportStatus.QUEUED:
        return  # already run (a task delivered twice)
    data = bytes(import_run.content or b"")
    run_import(import_run, data, atomic=False)
