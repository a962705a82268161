"""A curated timeline's page and embed read in the curator's order, captions as headings;
`order=date` and saved-query timelines read chronologically, under period headings."""

import datetime as dt
import itertools
import re

import pytest

from events.choices import TimelineKind
from events.freshness import stamp_change
from tests.factories import (
    ParticipationFactory,
    PublishedEventFactory,
    StateFactory,
    TimelineEntryFactory,
    TimelineFactory,
)

pytestmark = pytest.mark.django_db

PAGE, EMBED = "/timelines/story/", "/embed/timelines/story/"


@pytest.fixture
def story():
    """Three events entered against their dates' order, the first two captioned."""
    genovia = StateFactory(slug="genovia")
    timeline = TimelineFactory(slug="story", kind=TimelineKind.CURATED)
    entries = [
        ("the-outcome", dt.date(2025, 3, 5), "Sign 1: the outcome"),
        ("the-cause", dt.date(2024, 6, 1), "Sign 2: how it began"),
        ("an-aside", dt.date(2025, 1, 10), ""),
    ]
    for position, (slug, day, caption) in enumerate(entries):
        event = PublishedEventFactory(slug=slug, start_date=day)
        if slug != "the-cause":
            ParticipationFactory(event=event, actor=genovia)
        TimelineEntryFactory(
            timeline=timeline, event=event, position=(position + 1) * 10, caption=caption
        )
    return timeline


def slugs(html: str) -> list[str]:
    return re.findall(r'<li class="event[^"]*" id="e-([^"]+)"', html)


def sections(html: str) -> list[tuple[str, list[str]]]:
    found = []
    for chunk in html.split('<li class="section" data-period>')[1:]:
        heading = re.search(r'<h2 class="section-label">([^<]*)</h2>', chunk.split("</ol>")[0])
        found.append((heading[1] if heading else "", slugs(chunk.split("</ol>")[0])))
    return found


@pytest.mark.parametrize("url", [PAGE, EMBED])
def test_entries_read_in_the_curators_order_under_their_captions(client, story, url):
    html = client.get(url).content.decode()
    assert sections(html) == [
        ("Sign 1: the outcome", ["the-outcome"]),
        ("Sign 2: how it began", ["the-cause", "an-aside"]),  # an uncaptioned entry follows on
    ]
    assert '<p class="caption">' not in html  # the caption is the heading, not repeated
    assert 'class="period"' not in html


@pytest.mark.parametrize("url", [PAGE, EMBED])
def test_a_moved_entry_moves_on_the_page(client, story, url):
    client.get(url)
    story.entries.filter(event__slug="an-aside").update(position=0)
    # A bulk update bypasses the signals: code that makes one moves the stamp itself
    # (events.models.ChangeStamp), which is what the stored page is kept by.
    stamp_change(story)
    assert slugs(client.get(url).content.decode()) == ["an-aside", "the-outcome", "the-cause"]


@pytest.mark.parametrize("url", [PAGE, EMBED])
def test_by_date_the_entries_read_chronologically_under_periods(client, story, url):
    html = client.get(url, {"order": "date"}).content.decode()
    assert slugs(html) == ["the-cause", "an-aside", "the-outcome"]
    assert re.findall(r'<li class="period" id="([^"]+)"', html) == [
        "p-2024-06",
        "p-2025-01",
        "p-2025-03",
    ]
    assert '<h3 class="caption">Sign 1: the outcome</h3>' in html


def headings(html: str) -> list[tuple[int, str]]:
    """Every heading's level and text, in document order."""
    found = re.findall(r"<h([1-6])\b[^>]*>(.*?)</h\1>", html, flags=re.S)
    return [(int(level), re.sub(r"<[^>]+>", "", text).strip()) for level, text in found]


@pytest.mark.parametrize("url", [PAGE, EMBED])
@pytest.mark.parametrize("order", ["curated", "date"])
def test_captions_are_headings_and_no_level_is_skipped_in_either_order(client, story, url, order):
    html = client.get(url, {"order": order}).content.decode()
    found = headings(html)
    levels = [level for level, _ in found]
    assert levels[0] <= 2 and all(b <= a + 1 for a, b in itertools.pairwise(levels)), found
    texts = [text for _, text in found]
    for caption in ("Sign 1: the outcome", "Sign 2: how it began"):
        level = found[texts.index(caption)][0]
        if order == "date":
            # a caption heads its own entry, one level below the period; its title is next
            assert level == 3 and found[texts.index(caption) + 1][0] == 4, found
        else:
            assert level == 2, found  # a section's heading; its entries' titles are h3
    assert '<p class="caption">' not in html


@pytest.mark.parametrize("url", [PAGE, EMBED])
def test_a_readers_filter_narrows_a_curated_timeline_and_keeps_its_order(client, story, url):
    html = client.get(url, {"actor": "genovia"}).content.decode()
    assert sections(html) == [("Sign 1: the outcome", ["the-outcome", "an-aside"])]


def test_a_saved_query_timeline_stays_chronological(client, story):
    genovia = story.entries.get(event__slug="the-outcome").event.participations.get().actor
    saved = TimelineFactory(slug="saved", kind=TimelineKind.SAVED_QUERY)
    saved.query_actors.add(genovia)
    for url in ("/timelines/saved/", "/embed/timelines/saved/"):
        html = client.get(url).content.decode()
        assert slugs(html) == ["an-aside", "the-outcome"]
        assert "section-label" not in html
        assert re.findall(r'<li class="period" id="([^"]+)"', html) == ["p-2025-01", "p-2025-03"]


def test_an_unknown_order_is_a_400_that_says_what_to_use(client, story):
    response = client.get(PAGE, {"order": "random"})
    assert response.status_code == 400
    assert "order must be one of curated, date" in response.content.decode()
