"""Security and caching headers: strict CSP, framing only for embeds, no cookies, ETag/304."""

import pytest
from django.test import override_settings

from events.models import Event

pytestmark = pytest.mark.django_db

PAGES = ["/", "/timelines/signs-of-a-shift/", "/events/talks-in-riyadh/", "/actors/russia/"]
EMBEDS = [
    "/embed/timelines/signs-of-a-shift/",
    "/embed/timeline/?actor=usa",
    "/embed/events/talks-in-riyadh/",
]


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    pairs = (part.strip().partition(" ") for part in header.split(";") if part.strip())
    return {name: value for name, _, value in pairs}


@pytest.mark.parametrize("url", [*PAGES, *EMBEDS, "/admin/login/"])
def test_every_page_has_a_strict_content_security_policy(client, world, url):
    policy = directives(client.get(url))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline script, no other origin
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"


@pytest.mark.parametrize("url", [*PAGES, "/admin/login/", "/events/nope/"])
def test_pages_other_than_embeds_cannot_be_framed(client, world, url):
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == "'none'"


@pytest.mark.parametrize("url", EMBEDS)
def test_embeds_may_be_framed_by_any_site_by_default(client, world, url):
    response = client.get(url)
    assert "X-Frame-Options" not in response.headers
    assert directives(response)["frame-ancestors"] == "*"


@override_settings(EMBED_FRAME_ANCESTORS=["https://news.example.org", "https://blog.example.net"])
def test_embed_framing_follows_the_allow_list(client, world):
    response = client.get(EMBEDS[0])
    assert directives(response)["frame-ancestors"] == (
        "https://news.example.org https://blog.example.net"
    )


@pytest.mark.parametrize("url", EMBEDS)
def test_embeds_set_no_cookie_and_do_not_vary_on_cookies(client, world, url):
    response = client.get(url)
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")


@pytest.mark.parametrize("url", [*PAGES, *EMBEDS, "/oembed?url=http://testserver/events/hostile/"])
def test_public_responses_are_cacheable_with_validators(client, world, url):
    response = client.get(url)
    assert response["Cache-Control"] == "public, max-age=60, stale-while-revalidate=600"
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"]


@pytest.mark.parametrize("url", ["/timelines/signs-of-a-shift/", EMBEDS[0]])
def test_a_matching_etag_gets_304_without_rendering(client, world, url, django_assert_num_queries):
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(1):  # the ChangeStamp row, nothing else
        response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_gets_304(client, world):
    first = client.get(EMBEDS[0])
    response = client.get(EMBEDS[0], headers={"If-Modified-Since": first["Last-Modified"]})
    assert response.status_code == 304


def test_the_next_edit_changes_the_etag(client, world):
    etag = client.get(EMBEDS[0])["ETag"]
    event = Event.objects.get(slug="talks-in-riyadh")
    event.title = "Talks in Riyadh, renamed"
    event.save()
    response = client.get(EMBEDS[0], headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Talks in Riyadh, renamed" in response.content.decode()


def test_the_etag_covers_the_query_string_and_theme(client, world):
    light = client.get(EMBEDS[0] + "?theme=light")["ETag"]
    dark = client.get(EMBEDS[0] + "?theme=dark")["ETag"]
    assert light != dark
    assert (
        client.get(EMBEDS[0] + "?theme=dark", headers={"If-None-Match": light}).status_code == 200
    )


def test_embed_js_is_javascript_cached_long_and_revalidated(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=86400, stale-while-revalidate=604800"
    assert b"data-timeline" in response.content
    again = client.get("/embed.js", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
