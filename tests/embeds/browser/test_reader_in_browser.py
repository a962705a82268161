"""A reader in Chromium: the events page with and without JavaScript, the time axis (order,
proportion, keyboard), the timeline page on a 375 px phone, and axe on each."""

import datetime as dt

import pytest
from django.core.management import call_command

from events.models import Timeline

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEMO = "us-shift-toward-russia-2025"


@pytest.fixture
def demo(taxonomy):
    call_command("load_demo", verbosity=0)
    return Timeline.objects.get(slug=DEMO)


def violations(page) -> list[tuple[str, str, int]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]]


def serious_violations(page) -> list:
    return [found for found in violations(page) if found[1] in ("serious", "critical")]


def titles(page) -> list[str]:
    return page.locator("[data-event] [id^=t-]").all_inner_texts()


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_a_reader_filters_and_pages_the_events(browser, live_server, demo, artifacts, javascript):
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 1000, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/events/")
        everything = titles(page)
        assert len(everything) > 5
        page.select_option("#f-type", "un-vote")
        page.fill("#f-actor", "usa")
        page.click("button[type=submit]")
        page.wait_for_url("**/events/?**")
        assert "type=un-vote" in page.url and "actor=usa" in page.url
        filtered = titles(page)
        assert 0 < len(filtered) < len(everything)
        assert page.locator("#f-type").input_value() == "un-vote"
        # A facet narrows further, and the snippet of the selection follows the results.
        assert page.locator("#snippet").count() == 1
        snippet = page.locator("#snippet").input_value()
        assert "data-filters=" in snippet and "type=un-vote" in snippet
        box = page.locator(".embed-box").bounding_box()
        last = page.locator("[data-event]").last.bounding_box()
        assert box["y"] > last["y"]
        assert page.locator("[data-copy]").is_visible() == javascript
        page.screenshot(path=str(artifacts / f"events-page-{'js' if javascript else 'no-js'}.png"))
        assert serious_violations(page) == [] if javascript else True
        # Type names link to the page filtered by them.
        page.goto(f"{live_server.url}/events/")
        page.locator("[data-event] a.badge").first.click()
        page.wait_for_url("**/events/?type=*")
        assert page.locator("#f-type").input_value() != ""
    finally:
        context.close()


def test_the_events_page_is_accessible(page, live_server, demo):
    page.goto(f"{live_server.url}/events/?actor=usa")
    assert serious_violations(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/events/",
        "/events/?actor=usa&type=un-vote",  # a selection: its embed snippet, without a copy button
        "/events/?actor=atlantis&from=2025-13-45&to=2024",  # the form to fix (a 400)
        f"/timelines/{DEMO}/?order=date",  # captions as headings inside the periods
    ],
    ids=["events", "selection", "form-to-fix", "timeline-by-date"],
)
def test_the_pages_without_javascript_are_accessible(browser, live_server, demo, path):
    """axe itself needs JavaScript (with it disabled its promise never settles), so the page is
    opened twice: as a reader without JavaScript gets it, and with only the page's own scripts
    refused, where axe runs; the two documents must be the same."""
    url = live_server.url + path
    viewport = {"width": 1000, "height": 900}
    reader = browser.new_context(java_script_enabled=False, viewport=viewport)
    checker = browser.new_context(viewport=viewport)
    try:
        page = reader.new_page()
        page.goto(url)
        served = page.content()
        checked = checker.new_page()
        checked.route(
            "**/*",
            lambda route: (
                route.abort() if route.request.resource_type == "script" else route.continue_()
            ),
        )
        checked.goto(url)
        assert checked.content() == served
        if "atlantis" in path:
            assert page.locator("#f-actor-error").is_visible()
            assert page.locator("#f-from-error").is_visible()
            assert page.locator("#f-actor").input_value() == "atlantis"
        if "order=date" in path:
            assert page.locator("[data-event] h3.caption").count() > 0  # the demo's captions
        found = violations(checked)
        assert [item for item in found if item[1] in ("serious", "critical")] == []
        assert [item for item in found if item[0] == "heading-order"] == []
    finally:
        reader.close()
        checker.close()


def test_the_events_page_walks_its_pages(page, live_server, taxonomy):
    from tests.factories import PublishedEventFactory

    for index in range(25):
        PublishedEventFactory(
            title=f"Event {index:02}", start_date=dt.date(2024, 1, 1) + dt.timedelta(index)
        )
    page.goto(f"{live_server.url}/events/")
    assert titles(page)[0] == "Event 00"
    page.click("a[rel=next]")
    assert titles(page)[0] == "Event 20"
    page.click("a[rel=prev]")
    assert titles(page)[0] == "Event 00"


def test_the_time_axis_is_in_date_order_proportional_and_reachable_by_keyboard(
    page, live_server, demo, artifacts
):
    page.goto(f"{live_server.url}/timelines/{DEMO}/?order=date")
    marks = page.locator("a.axis-mark")
    count = marks.count()
    assert count >= 5
    # Document order is time order: each mark's target entry comes later on the page.
    targets = marks.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    tops = [page.locator(target).bounding_box()["y"] for target in targets]
    assert tops == sorted(tops)
    # Proportion: dots' centres are spaced as their dates are.
    dots = page.locator("a.axis-mark:has(circle.mark-dot)")
    labels = dots.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    centres = [
        (box["x"] + box["width"] / 2) for box in (dots.nth(i).bounding_box() for i in range(3))
    ]
    days = [dt.datetime.strptime(label.rsplit(", ", 1)[1], "%d %b %Y") for label in labels[:3]]
    gap_days = [(days[1] - days[0]).days, (days[2] - days[1]).days]
    gap_px = [centres[1] - centres[0], centres[2] - centres[1]]
    assert gap_px[0] > 0 and gap_px[1] > 0
    assert (
        abs(gap_px[0] / gap_px[1] - gap_days[0] / gap_days[1])
        < 0.15 * (gap_days[0] / gap_days[1]) + 0.1
    )
    # Keyboard: Tab reaches the first mark, whose name says what and when; Enter goes there.
    page.locator("body").focus()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('axis-mark')"):
            break
    else:
        pytest.fail("Tab never reached a mark of the time axis")
    name = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert name and "2025" in name
    first_target = page.evaluate("document.activeElement.getAttribute('href')")
    assert first_target == targets[0]
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === '{first_target}'")
    page.locator(".axis-figure").screenshot(path=str(artifacts / "time-axis.png"))
    assert serious_violations(page) == []


def test_the_timeline_page_fits_a_375px_phone(browser, live_server, demo, artifacts):
    context = browser.new_context(
        viewport={"width": 375, "height": 667}, device_scale_factor=2, is_mobile=True
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/timelines/{DEMO}/")
        page.screenshot(path=str(artifacts / "timeline-375.png"), full_page=True)
        first = page.locator("[data-event]").first.bounding_box()
        assert first["y"] < 667, f"the first event starts at {first['y']} px"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the page is {width} px wide"
        snippet = page.locator(".embed-box").bounding_box()
        assert snippet["x"] >= 0 and snippet["x"] + snippet["width"] <= 375
        page.screenshot(path=str(artifacts / "timeline-375.png"), full_page=True)
        assert serious_violations(page) == []
        page.goto(f"{live_server.url}/events/?actor=usa")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert page.locator("[data-event]").first.bounding_box()["y"] < 667 * 2
        page.screenshot(path=str(artifacts / "events-375.png"), full_page=True)
    finally:
        context.close()


def test_a_height_limited_embed_shows_that_it_scrolls(page, live_server, demo):
    page.goto(f"{live_server.url}/embed/timelines/{DEMO}/?maxheight=300")
    cue = page.locator("[data-scroll-cue]")
    assert cue.is_visible()
    page.evaluate("document.querySelector('main').scrollTo(0, 1e6)")
    page.wait_for_function("document.querySelector('[data-scroll-cue]').hidden")
