"""Archived copies: snapshots stored once by their hash, and the source's archive state."""

import datetime as dt
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events import archiving
from events.archiving import store_snapshot, stored_name
from events.choices import LinkStatus
from events.fetching import FetchResult
from events.models import LinkCheck, Source, SourceSnapshot
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


# --- a local site whose pages tests can break and mend ----------------------------------------


class Site(BaseHTTPRequestHandler):
    status = 200  # what /article answers
    body = PAGE

    def log_message(self, *args):
        pass

    def do_GET(self):
        status, body = (Site.status, Site.body) if self.path == "/article" else (404, b"gone")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site(settings):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    settings.TIMELINE_FETCH_ALLOW_HOSTS = [f"127.0.0.1:{port}"]
    Site.status, Site.body = 200, PAGE
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    httpd.server_close()


def test_a_source_added_in_the_api_is_archived_by_the_background_job(
    site, editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/api/v1/sources/",
            {"kind": "news_article", "title": "Talks", "url": f"{site}/article"},
            content_type="application/json",
        )

    assert response.status_code == 201, response.content
    source = Source.objects.get(pk=response.json()["id"])
    snapshot = source.snapshots.get()
    assert snapshot.sha256 == hashlib.sha256(PAGE).hexdigest()
    assert source.archived_at == snapshot.fetched_at
    assert source.link_status == LinkStatus.ALIVE


def test_a_source_added_in_the_admin_is_archived_once_the_save_commits(
    site, editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = editor_client.post(
            reverse("admin:events_source_add"),
            {"kind": "news_article", "title": "Talks", "url": f"{site}/article"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    source = Source.objects.get(title="Talks")
    assert not source.snapshots.exists()  # nothing fetched inside the request's transaction

    for callback in callbacks:
        callback()

    assert source.snapshots.get().size == len(PAGE)


def test_an_unreachable_source_is_not_archived_and_the_failure_is_recorded(site):
    source = SourceFactory(url=f"{site}/missing")

    assert archiving.archive_source(source) is None

    check = LinkCheck.objects.get(source=source)
    assert (check.ok, check.status) == (False, 404)
    assert "404" in check.reason


def test_one_failure_is_not_dead_two_are_dead_since_the_first_and_a_success_revives(site):
    source = SourceFactory(url=f"{site}/article")
    Site.status = 503

    call_command("check_links")
    source.refresh_from_db()
    first_failure = source.link_failing_since
    assert source.link_status == LinkStatus.FAILING and source.link_dead_since is None

    call_command("check_links")
    source.refresh_from_db()
    assert source.link_status == LinkStatus.DEAD
    assert source.link_dead_since == first_failure
    assert LinkCheck.objects.filter(source=source, ok=False, status=503).count() == 2

    Site.status = 200
    call_command("check_links")
    source.refresh_from_db()
    assert source.link_status == LinkStatus.ALIVE
    assert (source.link_failures, source.link_dead_since) == (0, None)
    assert source.snapshots.count() == 1  # archived on the way, having no copy yet


def test_a_refused_address_counts_as_a_failure(settings):
    settings.TIMELINE_FETCH_ALLOW_HOSTS = []
    source = SourceFactory(url="http://127.0.0.1:9/article")  # loopback: never fetched

    archiving.check_link(source)

    check = LinkCheck.objects.get(source=source)
    assert not check.ok and check.status is None and "internal address" in check.reason


def test_check_links_takes_the_limit_and_skips_recently_checked_links(site):
    recent = SourceFactory(url=f"{site}/article")
    Source.objects.filter(pk=recent.pk).update(link_checked_at=timezone.now())
    stale = SourceFactory(url=f"{site}/article?stale")
    Source.objects.filter(pk=stale.pk).update(
        link_checked_at=timezone.now() - dt.timedelta(hours=30)
    )
    never = SourceFactory(url=f"{site}/article?never")

    call_command("check_links", "--older-than", "24", "--limit", "1")
    assert set(LinkCheck.objects.values_list("source_id", flat=True)) == {never.pk}

    call_command("check_links", "--older-than", "24")
    assert set(LinkCheck.objects.values_list("source_id", flat=True)) == {never.pk, stale.pk}
