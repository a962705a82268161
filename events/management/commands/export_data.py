"""`manage.py export_data`: write the whole dataset as a file (docs/data-format.md)."""

import os
import sys

from django.core.management.base import BaseCommand, CommandError

from events.dataset import formats
from events.dataset.jsonl import jsonl_lines


class Command(BaseCommand):
    help = (
        "Write the dataset to a file: `jsonl` (Timeline's own lossless format, read back by "
        "import_data), `popolo` (UN votes as Popolo vote events), `plover` (events as PLOVER "
        "lines) or `ftm` (FollowTheMoney entities). Public data only unless --all. Streams: "
        "memory stays flat however many events there are, and the same data always gives the "
        "same bytes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(formats.WRITERS), default="jsonl")
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            metavar="FILE",
            help="Where to write; `-` for standard output.",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="include_drafts",
            help="Include drafts, events in review, draft timelines and the actors and sources "
            "only they name (the curators' whole dataset, for backups and moves). Default: "
            "only what anonymous readers can see.",
        )

    def handle(self, *args, **options):
        writer = formats.WRITERS[options["format"]]
        # The command may read on several connections at once (events.dataset.records).
        extra = {"parallel": True} if writer is jsonl_lines else {}
        lines = writer(include_drafts=options["include_drafts"], **extra)
        target = options["output"]
        if target == "-":
            try:
                self._write(sys.stdout.buffer, lines)
                sys.stdout.buffer.flush()
            except BrokenPipeError:  # `export_data -o - | head`: the reader has had enough
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        try:
            with open(target, "wb") as stream:
                self._write(stream, lines)
        except OSError as exc:
            raise CommandError(f"Cannot write {target}: {exc.strerror}.") from exc

    @staticmethod
    def _write(stream, lines) -> None:
        for line in lines:
            stream.write(line)
