"""Archived copies: snapshots stored once by their hash, and the source's archive state."""

import hashlib

import pytest
from django.utils import timezone

from events.archiving import store_snapshot, stored_name
from events.fetching import FetchResult
from events.models import SourceSnapshot
from events.models.archive import archive_storage
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

PAGE = b"<html><head><title>Talks in Riyadh</title></head><body><p>Text.</p></body></html>"


def fetched(body: bytes = PAGE, url: str = "https://news.example.org/a") -> FetchResult:
    return FetchResult(
        url=url,
        status=200,
        content_type="text/html",
        body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        fetched_at=timezone.now(),
        headers={"content-type": "text/html; charset=ISO-8859-1"},
    )


def test_a_snapshot_keeps_the_exact_bytes_with_their_sha256_and_what_the_server_said():
    source = SourceFactory()
    result = fetched()

    snapshot = store_snapshot(source=source, result=result, text="Text.")

    snapshot.refresh_from_db()
    with snapshot.file.open("rb") as stored:
        body = stored.read()
    assert body == PAGE
    assert snapshot.sha256 == hashlib.sha256(PAGE).hexdigest() == hashlib.sha256(body).hexdigest()
    assert (snapshot.status, snapshot.content_type, snapshot.charset) == (
        200,
        "text/html",
        "iso-8859-1",
    )
    assert snapshot.size == len(PAGE) and snapshot.text == "Text."
    assert snapshot.final_url == "https://news.example.org/a"
    source.refresh_from_db()
    assert source.archived_at == result.fetched_at


def test_identical_content_is_stored_once_across_fetches_and_sources():
    first, second = SourceFactory(), SourceFactory()
    body = b"<html><body>same bytes " + first.url.encode() + b"</body></html>"

    one = store_snapshot(source=first, result=fetched(body))
    again = store_snapshot(source=first, result=fetched(body))
    other = store_snapshot(source=second, result=fetched(body))

    assert again.pk == one.pk
    assert SourceSnapshot.objects.filter(source=first).count() == 1
    assert other.pk != one.pk and other.file.name == one.file.name
    directory = stored_name(one.sha256, "text/html").rsplit("/", 1)[0]
    assert archive_storage().listdir(directory)[1].count(f"{one.sha256}.html") == 1


def test_new_content_for_a_source_is_a_new_snapshot_and_moves_its_archive_time():
    source = SourceFactory()
    store_snapshot(source=source, result=fetched(b"<p>version 1</p>"))
    later = fetched(b"<p>version 2</p>")

    store_snapshot(source=source, result=later)

    assert source.snapshots.count() == 2
    source.refresh_from_db()
    assert source.archived_at == later.fetched_at
