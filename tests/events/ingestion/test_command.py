"""`python manage.py ingest URL_OR_FILE [--text] [--json]`."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from events.ingestion.models import Ingestion
from events.models import Source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("extractor", "actors")]


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("ingest", *args, stdout=out)
    return out.getvalue()


def test_json_prints_the_candidates(server):
    printed = json.loads(run(f"{server}/article", "--json"))
    assert [c["paragraph"] for c in printed] == [1, 3]
    first = printed[0]
    assert set(first) >= {
        "sentence",
        "date",
        "precision",
        "actors",
        "type",
        "confidence",
        "duplicates",
    }
    assert (first["date"], first["actors"], first["type"]) == (
        "2025-03-04",
        ["ukraine", "united-states"],
        "statement",
    )


def test_a_text_file_is_read_with_text(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("In February, Ukraine asked for talks.\n", encoding="utf-8")
    printed = run(str(path), "--text")
    assert "1 candidate(s)" in printed
    assert Ingestion.objects.get().kind == "text"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "The server answered 404 Not Found."),
        ("/loop-a", "The page redirects in a loop"),
        ("/huge", "The page is larger than the limit"),
        ("/report.pdf", "The page is application/pdf"),
        ("/photo.png", "The page is image/png"),
        ("/empty", "No article text was found on the page."),
        ("/latin1", "The page is not UTF-8 and declares no character set."),
    ],
)
def test_bad_pages_fail_with_a_one_line_reason(server, path, reason):
    with pytest.raises(CommandError) as failure:
        run(f"{server}{path}", "--json")
    assert str(failure.value).startswith(reason) and "\n" not in str(failure.value)
    assert not Ingestion.objects.exists() and not Source.objects.exists()


def test_internal_and_unreachable_addresses_fail(settings, tmp_path):
    settings.TIMELINE_FETCH_ALLOW_HOSTS = []
    with pytest.raises(CommandError, match="internal address"):
        run("http://10.0.0.1/article")
    with pytest.raises(CommandError, match="could not be resolved"):
        run("http://no-such-host.invalid/article")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\u00e9 in Kyiv".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run(str(latin), "--text")
    assert not Ingestion.objects.exists()
