"""A curator previews a draft from the admin, as a person does: "View on site", the banner,
and a preview page as accessible as the public ones."""

import pytest
from django.contrib.auth.models import Group, Permission

from events.choices import TimelineStatus
from tests.factories import (
    CitationFactory,
    EventFactory,
    PublishedEventFactory,
    TimelineEntryFactory,
    TimelineFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
BANNER = "Not public: draft preview"


@pytest.fixture
def curator(taxonomy):
    """A curator as the groups migration makes one (the flush between live-server tests
    erases the seeded groups, so the group is rebuilt from the permissions)."""
    group, _ = Group.objects.get_or_create(name="Curator")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="events", codename__regex=r"^(add|change|view)_"
        )
    )
    return UserFactory(username="curator", groups=["Curator"])


def serious_violations(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_a_curator_clicks_view_on_site_on_a_draft_and_sees_an_accessible_preview(
    browser, page, live_server, curator, artifacts
):
    draft = EventFactory(title="A draft under review", slug="draft-under-review")
    CitationFactory(event=draft)
    errors = []  # blocked by the Content-Security-Policy, or failed in a script
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and errors.append(message.text),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))

    log_in(page, live_server, "curator")
    page.goto(f"{live_server.url}/admin/events/event/{draft.pk}/change/")
    page.get_by_role("link", name="View on site").click()
    page.wait_for_url(f"{live_server.url}/events/draft-under-review/")

    banner = page.get_by_role("status").filter(has_text=BANNER)
    assert banner.is_visible()
    assert page.locator("h1").inner_text() == "A draft under review"
    page.screenshot(path=str(artifacts / "draft-preview.png"), full_page=True)
    assert serious_violations(page) == []
    assert errors == []

    # The same address in a browser nobody signed in to: not found, and no word of a draft.
    reader = browser.new_context()
    try:
        anonymous = reader.new_page()
        response = anonymous.goto(f"{live_server.url}/events/draft-under-review/")
        assert response.status == 404
        assert BANNER not in anonymous.content()
        assert "A draft under review" not in anonymous.content()
    finally:
        reader.close()


def test_a_draft_timeline_preview_and_its_embed_preview_are_accessible_in_both_themes(
    page, live_server, curator, artifacts
):
    timeline = TimelineFactory(
        title="Draft timeline", slug="draft-timeline", status=TimelineStatus.DRAFT
    )
    TimelineEntryFactory(timeline=timeline, event=PublishedEventFactory(title="Public one"))
    TimelineEntryFactory(timeline=timeline, event=EventFactory(title="Draft one"))

    log_in(page, live_server, "curator")
    page.goto(f"{live_server.url}/admin/events/timeline/{timeline.pk}/change/")
    page.get_by_role("link", name="View on site").click()
    page.wait_for_url(f"{live_server.url}/timelines/draft-timeline/")
    assert page.get_by_role("status").filter(has_text=BANNER).is_visible()
    assert page.locator(".event.is-unpublished").inner_text().count("Not public: draft") == 1
    assert serious_violations(page) == []

    page.goto(f"{live_server.url}/admin/events/timeline/{timeline.pk}/change/")
    page.get_by_role("link", name="Preview embed").click()
    page.wait_for_url(f"{live_server.url}/preview/embed/timelines/draft-timeline/")
    for theme in ("light", "dark"):
        page.goto(f"{live_server.url}/preview/embed/timelines/draft-timeline/?theme={theme}")
        assert page.get_by_role("status").filter(has_text=BANNER).is_visible()
        page.screenshot(path=str(artifacts / f"embed-preview-{theme}.png"), full_page=True)
        assert serious_violations(page) == [], theme
