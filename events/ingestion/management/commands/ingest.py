"""`python manage.py ingest URL_OR_FILE [--text] [--json]`: read an article and propose its
candidate events for review in the admin. Bad input exits non-zero with a one-line reason and
writes nothing."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.ingestion.services import IngestRefused, ingest_html, ingest_text, ingest_url
from events.ingestion.summary import candidate_json, candidates_of


class Command(BaseCommand):
    help = "Read an article (URL, HTML file, or a text file with --text) and propose its events."

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="URL_OR_FILE")
        parser.add_argument(
            "--text", action="store_true", help="The file is plain UTF-8 text, not HTML."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the candidates as a JSON array."
        )
        parser.add_argument("--title", default="", help="With --text: the article's title.")

    def handle(self, *args, source: str, text: bool, json: bool, title: str, **options):
        try:
            ingestion = self._ingest(source, text, title)
        except IngestRefused as exc:
            raise CommandError(exc.reason) from None
        candidates = [candidate_json(c) for c in candidates_of(ingestion)]
        if json:
            self.stdout.write(_dumps(candidates))
            return
        self.stdout.write(
            f"{ingestion}: {len(candidates)} candidate(s), {ingestion.skipped_count} skipped "
            "(rejected before). Review them in the admin."
        )
        for item in candidates:
            self.stdout.write(
                f"  {item['date'] or '?':10}  {item['sentence'][:100]}"
                f"  [{', '.join(item['actors'])}]"
            )

    def _ingest(self, source: str, text: bool, title: str):
        if source.lower().startswith(("http://", "https://")) or "://" in source:
            return ingest_url(url=source)
        path = Path(source)
        if not path.is_file():
            raise CommandError(f"{source} is neither an http(s) URL nor a file.")
        data = path.read_bytes()
        if text:
            return ingest_text(text=data, title=title, file_name=path.name)
        return ingest_html(data=data, file_name=path.name)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
