"""The demo timeline's embed stays small and self-contained."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

DEMO_EMBED = "/embed/timelines/us-shift-toward-russia-2025/"
BUDGET = 50 * 1024  # bytes, uncompressed: HTML + CSS + JS


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def subresources(html: str) -> list[str]:
    """What the browser fetches by itself: scripts, stylesheets, icons, images."""
    return re.findall(r'<(?:script|img|iframe)[^>]* src="([^"]+)"', html) + re.findall(
        r'<link[^>]* href="([^"]+)"', html
    )


def test_the_demo_embed_transfers_under_50_kb(client, demo):
    html = client.get(DEMO_EMBED).content
    assert b"Oval Office" in html  # the demo's events are there
    total = len(html)
    for url in subresources(html.decode()):
        if url.startswith("data:"):
            continue
        path = finders.find(url.removeprefix("/static/"))
        assert path, f"{url} is not a static file"
        total += Path(path).stat().st_size
    assert total < BUDGET, f"{total} bytes"


def test_the_demo_embed_requests_nothing_from_another_origin(client, demo):
    html = client.get(DEMO_EMBED).content.decode()
    resources = subresources(html)
    assert {"/static/embeds/timeline.css", "/static/embeds/timeline.js"} <= set(resources)
    assert all(url.startswith(("/", "data:")) for url in resources), resources


def test_the_script_stays_under_10_kb_and_the_loader_is_small():
    for name, limit in (("embeds/timeline.js", 10 * 1024), ("embeds/embed.js", 4 * 1024)):
        assert Path(finders.find(name)).stat().st_size < limit, name
