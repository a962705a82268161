"""timeline.response_cache: anonymous public reads kept until the public stamp moves."""

import threading
import time

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle

from events.choices import EventStatus
from events.models import ChangeStamp
from tests.factories import (
    EventFactory,
    PublishedEventFactory,
    TimelineEntryFactory,
    TimelineFactory,
)
from timeline.response_cache import StampedResponseCacheMiddleware, mark_shareable

pytestmark = pytest.mark.django_db

LIST = "/api/v1/events/?page_size=10"


def titles(response) -> list[str]:
    return [row["title"] for row in response.json()["results"]]


def test_a_repeated_anonymous_read_is_served_with_the_stamp_query_only(
    client, django_assert_num_queries
):
    PublishedEventFactory(title="Kept")
    first = client.get(LIST)
    assert titles(first) == ["Kept"]
    with django_assert_num_queries(1):  # the public stamp; no view, no page query
        again = client.get(LIST)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "public, max-age=60"
    assert again["Content-Type"] == first["Content-Type"]


def queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, **headers).status_code == 200
    return len(context)


def test_a_miss_reads_the_stamp_once(client, settings):
    PublishedEventFactory()
    client.get(LIST)  # whatever the first request warms
    settings.RESPONSE_CACHE = False
    uncached = queries(client, "/api/v1/events/?page_size=3")
    settings.RESPONSE_CACHE = True
    assert queries(client, "/api/v1/events/?page_size=4") == uncached  # a miss: no extra query
    assert queries(client, "/api/v1/events/?page_size=4") == 1  # a hit: the stamp alone


def test_a_public_write_is_seen_by_the_next_read(client):
    PublishedEventFactory(title="First")
    assert titles(client.get(LIST)) == ["First"]
    event = PublishedEventFactory(title="Second")
    assert sorted(titles(client.get(LIST))) == ["First", "Second"]
    event.status = EventStatus.DRAFT  # leaving the public set moves the stamp too
    event.save()
    assert titles(client.get(LIST)) == ["First"]


def test_a_draft_seen_by_a_curator_is_never_served_to_anyone_else(client, curator_client):
    PublishedEventFactory(title="Public")
    EventFactory(title="Secret draft", status=EventStatus.DRAFT)
    staff = curator_client.get("/api/v1/events/?page_size=10&status=draft")
    assert b"Secret draft" in staff.content
    for url in (LIST, "/api/v1/events/?page_size=10&status=draft"):
        anonymous = client.get(url)
        assert b"Secret draft" not in anonymous.content


def test_requests_with_credentials_or_cookies_are_not_served_from_the_cache(client):
    PublishedEventFactory()
    client.get(LIST)
    assert queries(client, LIST) == 1
    # A token is checked, not answered from the cache: a wrong one is refused.
    assert client.get(LIST, HTTP_AUTHORIZATION="Token nonsense").status_code == 401
    client.cookies["csrftoken"] = "x" * 32
    assert queries(client, LIST) > 1  # the view ran


def test_each_format_is_kept_apart(client):
    PublishedEventFactory(title="Formats")
    json = client.get(LIST, HTTP_ACCEPT="application/json")
    html = client.get(LIST, HTTP_ACCEPT="text/html")
    again = client.get(LIST, HTTP_ACCEPT="application/json")
    assert json["Content-Type"].startswith("application/json")
    assert html["Content-Type"].startswith("text/html")
    assert again.content == json.content


def test_a_hit_answers_304_to_a_matching_etag(client):
    PublishedEventFactory()
    etag = client.get(LIST)["ETag"]
    client.get(LIST)  # stored
    response = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_hits_count_against_the_anonymous_throttle(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    PublishedEventFactory()
    assert client.get(LIST).status_code == 200
    assert client.get(LIST).status_code == 200
    response = client.get(LIST)
    assert response.status_code == 429
    assert "Retry-After" in response


def test_an_embed_is_served_again_until_the_timeline_changes(client, django_assert_num_queries):
    timeline = TimelineFactory(slug="kept")
    TimelineEntryFactory(timeline=timeline, event=PublishedEventFactory(title="One"))
    url = "/embed/timelines/kept/"
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.content == first.content
    # The CSP middleware above still runs on a hit, with what the view asked of the policy:
    # an embed may be framed by other sites, every other page may not.
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "frame-ancestors *" in again["Content-Security-Policy"]
    TimelineEntryFactory(timeline=timeline, event=PublishedEventFactory(title="Two"))
    assert b"Two" in client.get(url).content


def test_the_cache_can_be_turned_off(client, settings):
    settings.RESPONSE_CACHE = False
    PublishedEventFactory()
    client.get(LIST)
    assert queries(client, LIST) > 1


def test_concurrent_misses_of_one_response_build_it_once(monkeypatch):
    """A thread asking for a response another thread of the process is building waits for it."""
    stamp = ChangeStamp(pk=ChangeStamp.PUBLIC, counter=7, changed_at=timezone.now())
    monkeypatch.setattr(ChangeStamp, "current", classmethod(lambda cls, staff=False: stamp))
    built = []

    def slow_view(request):
        built.append(request.path)
        time.sleep(0.3)
        response = HttpResponse(b"<p>built once</p>")
        response["Cache-Control"] = "public, max-age=60"
        mark_shareable(response)
        return response

    middleware = StampedResponseCacheMiddleware(slow_view)
    results = []

    def ask():
        results.append(middleware(RequestFactory().get("/embed/timelines/slow/")).content)

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert built == ["/embed/timelines/slow/"]
    assert results == [b"<p>built once</p>"] * 3
