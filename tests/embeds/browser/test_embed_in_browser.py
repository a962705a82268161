"""The embed in a real browser: the snippet on another origin, resizing, filters, themes,
safety and accessibility. Data is created inside each test (live_server flushes the database)."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from events.choices import EventStatus
from events.models import Event, Timeline
from tests.embeds.conftest import XSS_TITLE
from tests.factories import (
    EventFactory,
    PublishedEventFactory,
    TimelineEntryFactory,
)

# serialized_rollback: the flush between live-server tests would erase the seeded taxonomy.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEMO = "us-shift-toward-russia-2025"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def demo(taxonomy):
    """The demo timeline, plus a hostile title and a draft placed in it."""
    call_command("load_demo", verbosity=0)
    timeline = Timeline.objects.get(slug=DEMO)
    TimelineEntryFactory(
        timeline=timeline,
        event=PublishedEventFactory(
            title=XSS_TITLE, slug="hostile-title", start_date=dt.date(2025, 3, 20)
        ),
    )
    TimelineEntryFactory(
        timeline=timeline,
        event=EventFactory(
            title="Unpublished secret", slug="unpublished-secret", status=EventStatus.DRAFT
        ),
    )
    return timeline


def expected_rows(timeline) -> list[tuple[str, str]]:
    events = Event.objects.public().in_timeline(timeline).order_by("date_lower", "id")
    return [(event.title, event.display_date) for event in events]


def test_the_snippet_on_another_origin_embeds_a_working_timeline(
    page, host_page, timeline_origin, demo, artifacts
):
    host_page.html = (
        "<!doctype html><html lang=en><title>Host article</title><body><h1>An article</h1>"
        # By date: the curated demo timeline otherwise reads in its curator's order.
        f'<div data-timeline="{DEMO}" data-order="date"></div>'
        f'<script async src="{timeline_origin}/embed.js"></script></body></html>'
    )
    requests, dialogs = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(host_page.url)

    iframe = page.locator(f"div[data-timeline='{DEMO}'] iframe")
    iframe.wait_for()
    assert iframe.get_attribute("title") == f"Timeline: {DEMO}"
    assert iframe.get_attribute("loading") == "lazy"
    frame = page.frame_locator(f"div[data-timeline='{DEMO}'] iframe")
    frame.locator("[data-event]").first.wait_for()

    # The height follows the content: the iframe grows to the document, and again on expand.
    def heights():
        inner = frame.locator("body").evaluate("b => Math.ceil(b.getBoundingClientRect().height)")
        return iframe.evaluate("f => f.getBoundingClientRect().height"), inner

    page.wait_for_function(
        "([sel]) => document.querySelector(sel).getBoundingClientRect().height > 600",
        arg=[f"div[data-timeline='{DEMO}'] iframe"],
    )
    outer, inner = heights()
    assert abs(outer - inner) <= 2, (outer, inner)
    frame.locator("[data-toggle-sources]").click()
    page.wait_for_function(
        "([sel, h]) => document.querySelector(sel).getBoundingClientRect().height > h + 20",
        arg=[f"div[data-timeline='{DEMO}'] iframe", outer],
    )
    grown, inner = heights()
    assert abs(grown - inner) <= 2 and grown > outer

    # The demo's events, in chronological order, with dates in their own precision.
    titles = frame.locator("[data-event] [id^=t-]").all_inner_texts()  # title, not caption
    dates = frame.locator("[data-event] .meta time").all_inner_texts()
    assert list(zip(titles, dates, strict=True)) == expected_rows(demo)
    riyadh = "The United States and Russia work to restore diplomatic channels and embassy staff"
    assert dates[titles.index(riyadh)] == "18 Feb 2025"
    assert "Feb 2025" in dates and "Mar 2025" in dates
    datetimes = frame.locator("[data-event] .meta time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )
    assert datetimes == sorted(datetimes, key=lambda value: value.ljust(10, "-"))

    # The hostile title is text, and nothing ran; the draft never appears.
    assert XSS_TITLE in titles
    assert frame.locator("img[src=x]").count() == 0
    assert dialogs == []
    assert "Unpublished secret" not in frame.locator("body").inner_text()

    # Sources: listed, with working links that open safely in a new tab.
    link = frame.locator("details.sources a[href^='https://undocs.org/']").first
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in link.get_attribute("rel")
    source_url = link.get_attribute("href")
    assert (
        source_url
        == Event.objects.get(slug="unga-es-11-7-us-votes-with-russia")
        .citations.filter(source__url__isnull=False)
        .first()
        .source.url
    )

    # A filter chip hides the other events.
    chip = frame.locator("button.chip[data-kind='type'][data-value='un-vote']")
    chip.click()
    assert chip.get_attribute("aria-pressed") == "true"
    visible = frame.locator("[data-event]:visible")
    assert (
        visible.count()
        == Event.objects.public()
        .filter(timeline_entries__timeline=demo, event_type__slug="un-vote")
        .count()
    )
    assert all(t == "un-vote" for t in visible.evaluate_all("els => els.map(e => e.dataset.type)"))

    page.screenshot(path=str(artifacts / "host-page-with-embed.png"), full_page=True)
    # Nothing came from a third origin: only the host page and Timeline itself.
    assert {origin(url) for url in requests} <= {origin(host_page.url), timeline_origin}


def test_the_embed_in_light_and_dark_themes_is_accessible(page, live_server, demo, artifacts):
    from axe_playwright_python.sync_playwright import Axe

    for theme, background in (("light", "rgb(255, 255, 255)"), ("dark", "rgb(17, 20, 24)")):
        page.goto(f"{live_server.url}/embed/timelines/{DEMO}/?theme={theme}")
        body = page.locator("body")
        assert body.evaluate("b => getComputedStyle(b).backgroundColor") == background
        page.screenshot(path=str(artifacts / f"embed-{theme}.png"), full_page=True)
        results = Axe().run(page)
        serious = [
            (v["id"], v["impact"], len(v["nodes"]))
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], serious


def test_the_timeline_page_is_accessible_and_offers_the_snippet(page, live_server, demo, artifacts):
    from axe_playwright_python.sync_playwright import Axe

    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/timelines/{DEMO}/")
    assert page.locator("h1").inner_text() == demo.title
    snippet = page.locator("#snippet").input_value()
    assert f'<div data-timeline="{DEMO}"></div>' in snippet
    assert f'src="{live_server.url}/embed.js"' in snippet
    assert page.locator("[data-copy]").is_visible()  # the script revealed the copy button
    page.screenshot(path=str(artifacts / "timeline-page.png"), full_page=True)
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious
    assert errors == []  # no CSP violation, no script error


def test_keyboard_moves_between_events_and_the_timeline_works_without_javascript(
    browser, page, live_server, demo
):
    page.goto(f"{live_server.url}/embed/timelines/{DEMO}/")
    first = page.locator("[data-event] > article").first
    first.focus()
    page.keyboard.press("ArrowDown")
    second_id = page.locator("[data-event] > article").nth(1).get_attribute("aria-labelledby")
    assert page.evaluate("document.activeElement.getAttribute('aria-labelledby')") == second_id

    context = browser.new_context(java_script_enabled=False)
    try:
        static = context.new_page()
        static.goto(f"{live_server.url}/embed/timelines/{DEMO}/?order=date")  # with the axis
        assert static.locator("[data-event]").count() == len(expected_rows(demo))
        assert static.locator("[data-controls]").is_hidden()  # chips need the script
        sources = static.locator("details.sources:has(a)").first
        sources.locator("summary").click()
        assert sources.locator("a").first.is_visible()
        mark = static.locator("a.axis-mark").last  # the axis's marks are plain anchors
        target = mark.get_attribute("href")
        mark.click()
        assert static.url.endswith(target)
    finally:
        context.close()
