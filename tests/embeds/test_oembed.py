"""The oEmbed provider answers as https://oembed.com says: rich JSON, 404, 501."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

PAGE = "http://testserver/timelines/signs-of-a-shift/"


def oembed(client, **params):
    return client.get("/oembed", params)


def test_oembed_answers_a_timeline_page_with_a_rich_iframe(client, world):
    response = oembed(client, url=PAGE, format="json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data == {
        "version": "1.0",
        "type": "rich",
        "title": "Signs of a shift",
        "provider_name": "Timeline",
        "provider_url": "http://testserver/",
        "cache_age": 3600,
        "width": 640,
        "height": 600,
        "html": (
            '<iframe src="http://testserver/embed/timelines/signs-of-a-shift/" width="640" '
            'height="600" title="Signs of a shift" loading="lazy" '
            'style="border:0;max-width:100%"></iframe>'
        ),
    }


def test_oembed_accepts_the_embed_url_and_event_pages(client, world):
    data = oembed(client, url="http://testserver/embed/timelines/signs-of-a-shift/").json()
    assert data["title"] == "Signs of a shift"
    data = oembed(client, url="http://testserver/events/talks-in-riyadh/").json()
    assert data["title"] == "Talks in Riyadh"
    assert 'src="http://testserver/embed/events/talks-in-riyadh/"' in data["html"]


def test_oembed_respects_maxwidth_and_maxheight(client, world):
    data = oembed(client, url=PAGE, maxwidth=400, maxheight=300).json()
    assert (data["width"], data["height"]) == (400, 300)
    assert 'width="400" height="300"' in data["html"]
    assert "?maxheight=300" in data["html"]


def test_oembed_escapes_the_title_in_its_html(client, world):
    data = oembed(client, url="http://testserver/events/hostile/").json()
    assert data["title"] == "<img src=x onerror=alert(1)>"
    assert 'title="&lt;img src=x onerror=alert(1)&gt;"' in data["html"]


@pytest.mark.parametrize(
    "url",
    [
        "http://testserver/timelines/nope/",
        "http://testserver/events/secret-draft/",
        "http://testserver/actors/united-states/",
        "https://elsewhere.example.org/timelines/signs-of-a-shift/",
        "not a url",
    ],
)
def test_oembed_is_404_for_unknown_unpublished_or_foreign_urls(client, world, url):
    response = oembed(client, url=url)
    assert response.status_code == 404
    assert response.json()["error"] == "No published timeline or event at this URL."


def test_oembed_is_501_for_another_format(client, world):
    response = oembed(client, url=PAGE, format="xml")
    assert response.status_code == 501
    assert "format=json" in response.json()["error"]


@pytest.mark.parametrize("params", [{}, {"url": PAGE, "maxwidth": "wide"}])
def test_oembed_explains_a_missing_url_or_bad_size(client, world, params):
    response = oembed(client, **params)
    assert response.status_code == 400
    assert response.json()["error"]


@override_settings(TIMELINE_PUBLIC_URL="https://timeline.example.org")
def test_oembed_uses_the_public_url(client, world):
    data = oembed(client, url="https://timeline.example.org/timelines/signs-of-a-shift/").json()
    assert data["provider_url"] == "https://timeline.example.org/"
    assert 'src="https://timeline.example.org/embed/timelines/signs-of-a-shift/"' in data["html"]
