"""Background jobs of the domain: archiving sources and checking links (`manage.py db_worker`,
started by `make run`). Large imports have theirs in events/imports/tasks.py."""

from datetime import timedelta

from django_tasks import task

from events import archiving
from events.models import Source


@task()
def archive_source_task(source_id: int) -> None:
    """Archive a source added or re-addressed by hand (enqueued by archiving.archive_later)."""
    source = Source.objects.filter(pk=source_id).first()
    if source is not None:  # deleted before the worker came to it
        archiving.archive_source(source)


@task()
def check_links_task(limit: int | None = None, older_than_hours: float | None = None) -> dict:
    """The periodic link check; `manage.py check_links --enqueue` queues it (docs/operations.md)."""
    older_than = timedelta(hours=older_than_hours) if older_than_hours is not None else None
    return archiving.check_links(limit=limit, older_than=older_than)
