"""`manage.py import_data FILE --format FORMAT [--dry-run] [--skip-invalid] [--publish-cited]`:
the import pipeline from a terminal (docs/importing.md)."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from events.imports.models import ImportFormat, ImportStatus
from events.imports.pipeline import start_import
from events.imports.summary import count_rows, outcome


class RateColumn(TextColumn):
    """Rows per second, from rich's own speed estimate."""

    def __init__(self):
        super().__init__("")

    def render(self, task):
        speed = task.finished_speed or task.speed
        return f"{speed:,.0f} rows/s" if speed else "… rows/s"


class Command(BaseCommand):
    help = "Import events, votes and actors from a file (docs/importing.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format",
            choices=ImportFormat.values,
            help="The file's format; guessed from its header when it is unambiguous.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Write the valid rows even when some are invalid (by default nothing is).",
        )
        parser.add_argument(
            "--publish-cited",
            action="store_true",
            help="Publish rows that cite a supporting source (editors only).",
        )
        parser.add_argument(
            "--create-actors",
            action="store_true",
            help="Create actors for names no actor answers to (by default they are listed).",
        )
        parser.add_argument(
            "--user", help="The account the import is attributed to (its rights apply)."
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No account is called “{options['user']}”.")
        console = Console(file=self.stdout._out, force_terminal=None)
        with self._progress(console) as report_progress:
            import_run = start_import(
                data=data,
                file_name=path.name,
                user=user,
                format=options["format"],
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                publish_cited=options["publish_cited"],
                create_actors=options["create_actors"],
                background=False,
                progress=report_progress,
            )
        self._summary(console, import_run)
        if import_run.status in (ImportStatus.REFUSED, ImportStatus.FAILED):
            raise CommandError(outcome(import_run))

    def _progress(self, console: Console):
        """A progress bar on a terminal; plain lines (every 10%) otherwise."""
        command = self
        interactive = console.is_terminal

        class Reporter:
            def __enter__(self):
                self.bar = None
                self.step = 0
                if interactive:
                    self.bar = Progress(
                        TextColumn("Importing"),
                        BarColumn(),
                        MofNCompleteColumn(),
                        TaskProgressColumn(),
                        RateColumn(),
                        TextColumn("ETA"),
                        TimeRemainingColumn(),
                        console=console,
                    )
                    self.bar.__enter__()
                    self.task = self.bar.add_task("import", total=None)
                return self

            def __call__(self, done: int, total: int) -> None:
                if self.bar is not None:
                    self.bar.update(self.task, completed=done, total=total)
                elif total and done * 10 // total > self.step:
                    self.step = done * 10 // total
                    command.stdout.write(f"{done}/{total} rows")

            def __exit__(self, *exc):
                if self.bar is not None:
                    self.bar.__exit__(*exc)

        return Reporter()

    def _summary(self, console: Console, import_run) -> None:
        report = import_run.report
        table = Table(title=f"{import_run} — {import_run.format}")
        table.add_column("")
        table.add_column("rows", justify="right")
        for label, value in count_rows(import_run):
            table.add_row(label, str(value))
        console.print(table)
        problems = report.get("problems", [])
        if problems:
            problem_table = Table(title="Rows to fix")
            for column in ("row", "column", "what to fix"):
                problem_table.add_column(column)
            for problem in problems[:200]:
                problem_table.add_row(str(problem["row"]), problem["column"], problem["message"])
            console.print(problem_table)
            if len(problems) > 200:
                console.print(f"… and {len(problems) - 200} more (see the import in the admin).")
        duplicates = report.get("duplicates", [])
        if duplicates:
            duplicate_table = Table(title="Rows that may repeat a recorded event")
            for column in ("row", "new event", "may repeat", "why"):
                duplicate_table.add_column(column)
            for entry in duplicates[:200]:
                best = entry["of"][0]
                likely = "likely: " if entry["likely"] else ""
                duplicate_table.add_row(
                    str(entry["row"]),
                    entry["slug"],
                    ", ".join(other["slug"] for other in entry["of"]),
                    likely + ", ".join(best["reasons"]),
                )
            console.print(duplicate_table)
        for title, key in (
            ("Notes", "notes"),
            ("Actors created", "actors_created"),
            ("Names no actor answers to", "unmatched_actors"),
        ):
            if report.get(key):
                console.print(f"[bold]{title}[/bold]: " + "; ".join(report[key][:50]))
        if report.get("groups"):
            console.print(
                "[bold]Groups[/bold]: "
                + "; ".join(f"{group} → {meaning}" for group, meaning in report["groups"].items())
            )
        console.print(outcome(import_run))
        sys.stdout.flush()
