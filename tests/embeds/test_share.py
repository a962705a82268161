"""Social previews: Open Graph and Twitter Card tags, and preview images drawn by the server."""

import io
import re

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db


def meta(html: str) -> dict[str, str]:
    tags = re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', html)
    return dict(tags)


@pytest.mark.parametrize(
    "url", ["/", "/events/", "/events/talks-in-riyadh/", "/timelines/signs-of-a-shift/"]
)
def test_public_pages_carry_open_graph_and_twitter_tags(client, world, url):
    tags = meta(client.get(url).content.decode())
    for name in ("og:title", "og:description", "og:image", "og:url", "twitter:card"):
        assert tags.get(name), (url, name)
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["og:image"].startswith("http://testserver/share/")
    image = client.get(tags["og:image"].removeprefix("http://testserver"))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_an_events_tags_describe_it_in_plain_text(client, world):
    tags = meta(client.get("/events/talks-in-riyadh/").content.decode())
    assert tags["og:title"] == "Talks in Riyadh"
    assert tags["og:description"].startswith("Delegations meet in Riyadh.")
    assert "<" not in tags["og:description"] and "**" not in tags["og:description"]
    assert tags["og:image"] == "http://testserver/share/events/talks-in-riyadh.png"


def test_the_card_is_a_png_of_the_expected_size_and_revalidates(client, world):
    response = client.get("/share/events/talks-in-riyadh.png")
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    again = client.get(
        "/share/events/talks-in-riyadh.png", headers={"If-None-Match": response["ETag"]}
    )
    assert again.status_code == 304


def test_a_renamed_event_gets_a_new_card(client, world):
    first = client.get("/share/events/talks-in-riyadh.png")["ETag"]
    world.talks.title = "Talks in Riyadh, second round"
    world.talks.save()
    assert client.get("/share/events/talks-in-riyadh.png")["ETag"] != first


def test_a_draft_has_no_card_and_no_tags_leak_it(client, world):
    assert client.get("/share/events/secret-draft.png").status_code == 404
    assert client.get("/share/nothing/talks-in-riyadh.png").status_code == 404
