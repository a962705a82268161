"""An editor approves a curator's pending change in the admin, in a real browser."""

import pytest
from django.contrib.auth.models import Permission

from events import reviews, revisions
from events.models import Event
from tests.factories import PublishedEventFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def _user(username: str, *codenames: str):
    # The groups come from a data migration, which the live server's flush erases.
    user = UserFactory(username=username)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def _propose_title(event: Event, curator, title: str) -> None:
    def retitle():
        event.title = title
        event.save()

    with revisions.recorded():
        reviews.write_or_propose(user=lambda: curator, write=retitle)


def _reader_sees(browser, url: str) -> str:
    """The event page's heading for a reader with an empty cache (pages are cached a minute)."""
    context = browser.new_context()
    try:
        reader = context.new_page()
        reader.goto(url)
        return reader.locator("h1").inner_text()
    finally:
        context.close()


def test_an_editor_approves_a_pending_change_and_readers_then_see_it(
    browser, page, live_server, taxonomy
):
    curator = _user("cora", "view_event", "change_event")
    _user("eddie", "view_event", "change_event", "publish_event")
    event = PublishedEventFactory(title="Aid paused", slug="aid-paused")
    _propose_title(Event.objects.get(pk=event.pk), curator, "Aid resumed")
    public = f"{live_server.url}/events/aid-paused/"
    assert "Aid paused" in _reader_sees(browser, public)  # readers: the approved version

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "eddie")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/events/revisionreview/")
    page.locator("#result_list a", has_text="Aid paused").click()
    diff = page.locator(".revision-diff")
    assert "Aid paused" in diff.inner_text() and "Aid resumed" in diff.inner_text()
    page.click("input[name=approve]")

    page.wait_for_url(f"{live_server.url}/admin/events/revisionreview/")
    assert "approved and is live" in page.locator(".messagelist").inner_text()
    assert "Aid resumed" in _reader_sees(browser, public)
    assert revisions.latest(event).user.username == "eddie"


def test_an_editor_previews_a_pending_change_from_its_review_page(
    browser, page, live_server, taxonomy
):
    curator = _user("cora", "view_event", "change_event")
    _user("eddie", "view_event", "change_event", "publish_event")
    event = PublishedEventFactory(title="Aid paused", slug="aid-paused")
    _propose_title(Event.objects.get(pk=event.pk), curator, "Aid resumed")

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "eddie")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/events/revisionreview/")
    page.locator("#result_list a", has_text="Aid paused").click()
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Preview this proposal").click()
    preview = opened.value
    preview.wait_for_load_state()

    assert preview.locator("h1").inner_text() == "Aid resumed"
    banner = preview.get_by_role("status").inner_text()
    assert "Not public: proposed change by cora, waiting for review." in banner
    assert "Aid paused" in _reader_sees(browser, f"{live_server.url}/events/aid-paused/")
    assert Event.objects.get(pk=event.pk).title == "Aid paused"
