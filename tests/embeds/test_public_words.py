"""Public pages speak to readers: no curators' shorthand ("seed article", "the article")."""

import re

import pytest
from django.core.management import call_command

from events.models import Actor, Event, Timeline

pytestmark = pytest.mark.django_db

# The timeline's description names the article it follows, so "the article" alone is fine there;
# "according to the article" in an event is not (which article?).
INTERNAL = re.compile(r"\bseed\b|according to the article|\bin_review\b|\bEDTF\b", re.I)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_no_public_page_of_the_demo_uses_internal_words(client):
    call_command("load_demo", verbosity=0)
    urls = ["/", "/events/"]
    urls += [f"/timelines/{slug}/" for slug in Timeline.objects.values_list("slug", flat=True)]
    urls += [f"/events/{slug}/" for slug in Event.objects.public().values_list("slug", flat=True)]
    urls += [f"/actors/{slug}/" for slug in Actor.objects.public().values_list("slug", flat=True)]
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        words = [text[max(0, m.start() - 60) : m.end() + 20] for m in INTERNAL.finditer(text)]
        if words:
            found[url] = words
    assert not found
