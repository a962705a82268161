"""Check sources' links: `python manage.py check_links [--limit N] [--older-than HOURS]`.

Run it periodically (deploy/systemd/timeline-check-links.timer; docs/operations.md): each run
checks the links due, never-checked first; a link that fails twice in a row is shown as dead.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from events import archiving
from events.tasks import check_links_task


class Command(BaseCommand):
    help = "Check the URLs of sources; a link failing twice in a row is marked dead."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, help="Check at most this many sources.")
        parser.add_argument(
            "--older-than",
            type=float,
            metavar="HOURS",
            help="Only sources not checked in the last HOURS hours.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the check for the background worker instead of running it here.",
        )

    def handle(self, *args, limit=None, older_than=None, enqueue=False, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be 1 or more.")
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than must be 0 or more hours.")
        if enqueue:
            result = check_links_task.enqueue(limit=limit, older_than_hours=older_than)
            self.stdout.write(f"Queued the link check (task {result.id}).")
            return
        counts = archiving.check_links(
            limit=limit, older_than=timedelta(hours=older_than) if older_than is not None else None
        )
        self.stdout.write(
            f"Checked {counts['checked']} link(s): {counts['failed']} failed, "
            f"{counts['dead']} dead."
        )
