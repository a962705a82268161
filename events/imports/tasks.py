"""Large imports, and undoing them, run here, in the worker (`manage.py db_worker`, started
by `make run`)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django_tasks import task

from events.imports.models import Import, ImportStatus
from events.imports.pipeline import run_import
from events.imports.undo import import_undo


@task()
def run_import_task(import_id: int) -> None:
    import_run = Import.objects.get(pk=import_id)
    if import_run.status != ImportStatus.QUEUED:
        return  # already run (a task delivered twice)
    data = bytes(import_run.content or b"")
    run_import(import_run, data, atomic=False)


@task()
def undo_import_task(import_id: int, user_id: int | None, status_before: str) -> None:
    """The undo the admin queued (undo.undo_start). If a row was edited in the meantime, or
    the undo fails, nothing is undone: the import goes back to its status, with the reason
    in its report."""
    import_run = Import.objects.get(pk=import_id)
    if import_run.status != ImportStatus.UNDOING:
        return  # already run (a task delivered twice)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        import_undo(import_run=import_run, user=user)
    except ValidationError as exc:
        _undo_refused(import_run, status_before, exc.messages)
    except Exception:
        _undo_refused(import_run, status_before, ["The undo failed; nothing was undone."])
        raise


def _undo_refused(import_run: Import, status_before: str, messages: list[str]) -> None:
    import_run.status = status_before
    import_run.report = {**import_run.report, "undo_refused": messages}
    import_run.save(update_fields=["status", "report"])
