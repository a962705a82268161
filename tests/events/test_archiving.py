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
from tests.factories import CitationFactory, EventFactory, PublishedEventFactory, SourceFactory

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
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
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


# --- what readers, curators and the API see ---------------------------------------------------


def archived_source(body: bytes = PAGE, **fields) -> Source:
    source = SourceFactory(**fields)
    store_snapshot(source=source, result=fetched(body, url=source.url))
    source.refresh_from_db()
    return source


def make_dead(source: Source) -> None:
    first = timezone.now() - dt.timedelta(days=3)
    archiving.record_check(source, ok=False, status=404, reason="Gone", at=first)
    archiving.record_check(source, ok=False, status=404, reason="Gone")


def public_event_citing(source: Source, slug: str = "talks"):
    event = PublishedEventFactory(slug=slug)
    CitationFactory(event=event, source=source, stance="context")
    return event


def test_readers_see_archived_copy_and_dead_since_on_the_event_page(
    client, django_assert_max_num_queries
):
    alive = archived_source(title="Alive article")
    dead = archived_source(b"<p>other</p>", title="Dead article")
    make_dead(dead)
    event = public_event_citing(alive)
    CitationFactory(event=event, source=dead, stance="context")
    copy = reverse("embeds:archived_copy", args=[alive.pk])
    dead_copy = reverse("embeds:archived_copy", args=[dead.pk])
    since = (timezone.now() - dt.timedelta(days=3)).strftime("%-d %b %Y")

    client.get(f"/events/{event.slug}/")  # the change stamp is cached after the first read
    with django_assert_max_num_queries(2):
        html = client.get(f"/events/{event.slug}/").content.decode()

    assert f'(<a class="archived-copy" href="{copy}" rel="noopener">archived copy</a>)' in html
    assert (
        f'(<span class="link-dead">link dead since {since}</span>, '
        f'<a class="archived-copy" href="{dead_copy}" rel="noopener">archived copy</a>)'
    ) in html


def test_readers_see_the_markers_in_embeds(client):
    dead = archived_source(title="Dead article")
    make_dead(dead)
    event = public_event_citing(dead)
    never_archived = SourceFactory(title="Never archived")
    CitationFactory(event=event, source=never_archived, stance="context")

    html = client.get(f"/embed/events/{event.slug}/").content.decode()

    assert "link dead since" in html
    copy = reverse("embeds:archived_copy", args=[dead.pk])
    assert f'href="{copy}" target="_blank" rel="noopener">archived copy</a>' in html
    assert html.count("archived copy") == 1  # not next to the source without a copy


def test_the_api_gives_each_source_its_copy_and_link_status(client):
    dead = archived_source(title="Dead article")
    make_dead(dead)
    event = public_event_citing(dead)
    copy = f"http://testserver{reverse('embeds:archived_copy', args=[dead.pk])}"
    since = (timezone.now() - dt.timedelta(days=3)).date().isoformat()
    expected = {"archived_copy": copy, "link_status": "dead", "dead_since": since}

    row = client.get(f"/api/v1/sources/{dead.pk}/").json()
    assert {key: row[key] for key in expected} == expected
    assert row["archived_at"] is not None
    listed = client.get("/api/v1/events/").json()["results"]
    in_row = next(s for s in listed[0]["sources"] if s["id"] == dead.pk)
    assert {key: in_row[key] for key in expected} == expected
    detail = client.get(f"/api/v1/events/{event.slug}/").json()
    cited = next(c["source"] for c in detail["citations"] if c["source"]["id"] == dead.pk)
    assert {key: cited[key] for key in expected} == expected


def test_a_source_never_archived_has_no_copy_in_the_api(editor_client):
    source = SourceFactory()
    row = editor_client.get(f"/api/v1/sources/{source.pk}/").json()
    assert (row["archived_copy"], row["link_status"], row["dead_since"]) == (
        None,
        "unchecked",
        None,
    )


def test_the_public_copy_is_served_sandboxed_with_its_hash_as_etag(client):
    source = archived_source(b"<html><script>alert(document.cookie)</script><p>Said.</p></html>")
    public_event_citing(source)

    response = client.get(reverse("embeds:archived_copy", args=[source.pk]))

    assert response.status_code == 200
    assert response.content.startswith(b"<html><script>")  # the bytes as fetched …
    assert response["Content-Type"] == "text/html; charset=iso-8859-1"
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox;")  # … in an opaque origin, where scripts never run
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Content-Disposition"].startswith("inline;")
    etag = response["ETag"]
    again = client.get(
        reverse("embeds:archived_copy", args=[source.pk]), headers={"if-none-match": etag}
    )
    assert again.status_code == 304


def test_a_pdf_copy_is_a_download_never_rendered_in_our_origin(client):
    source = SourceFactory()
    body = b"%PDF-1.7 ..."
    result = FetchResult(
        url=source.url,
        status=200,
        content_type="application/pdf",
        body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        fetched_at=timezone.now(),
    )
    store_snapshot(source=source, result=result)
    public_event_citing(source)

    response = client.get(reverse("embeds:archived_copy", args=[source.pk]))

    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"].startswith("sandbox;")


def test_anonymous_readers_cannot_open_the_copy_of_a_source_cited_only_by_drafts(
    client, curator_client
):
    source = archived_source()
    CitationFactory(event=EventFactory(status="draft"), source=source)
    url = reverse("embeds:archived_copy", args=[source.pk])

    assert client.get(url).status_code == 404
    staff = curator_client.get(url)
    assert staff.status_code == 200 and staff["Cache-Control"] == "private, no-store"


def test_curators_open_snapshots_from_the_source_admin_and_others_cannot(curator_client, client):
    source = archived_source()
    snapshot = source.snapshots.get()
    url = reverse("admin:events_source_snapshot", args=[source.pk, snapshot.pk])

    page = curator_client.get(reverse("admin:events_source_change", args=[source.pk]))
    assert url in page.content.decode() and snapshot.sha256 in page.content.decode()
    response = curator_client.get(url)
    assert response.status_code == 200 and response.content == PAGE
    assert response["Content-Security-Policy"].startswith("sandbox;")

    assert client.get(url).status_code == 302  # to the admin login
    assert not client.get(url).content


def test_the_dashboard_counts_dead_links_and_links_to_them(editor_client):
    for source in (SourceFactory(), SourceFactory()):
        make_dead(source)
    failing_once = SourceFactory()
    archiving.record_check(failing_once, ok=False, status=500)

    html = editor_client.get(reverse("admin:index")).content.decode()

    sources = reverse("admin:events_source_changelist")
    link = f"{sources}?link_status__exact=dead"
    assert f'<a href="{link}"><span class="count">2</span> Dead links</a>' in html
    listed = editor_client.get(link)
    assert listed.status_code == 200
    assert len(listed.context["cl"].result_list) == 2


def test_a_link_going_dead_or_a_first_copy_moves_the_public_etag(client):
    source = SourceFactory()
    event = public_event_citing(source)
    url = f"/events/{event.slug}/"
    before = client.get(url)["ETag"]

    store_snapshot(source=source, result=fetched(url=source.url))
    archived = client.get(url)["ETag"]
    make_dead(source)

    assert len({before, archived, client.get(url)["ETag"]}) == 3
