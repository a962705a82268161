"""The curators' admin keeps working under the strict Content-Security-Policy."""

import pytest

from tests.factories import PublishedEventFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def test_the_admin_logs_in_renders_and_runs_its_scripts_under_the_csp(page, live_server, taxonomy):
    UserFactory(username="boss", is_superuser=True)
    event = PublishedEventFactory(title="An event to edit")
    violations, errors = [], []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("#site-name").inner_text() == "Timeline curation"

    page.goto(f"{live_server.url}/admin/events/event/")
    assert "An event to edit" in page.locator("#result_list").inner_text()
    page.goto(f"{live_server.url}/admin/events/event/{event.pk}/change/")
    assert page.locator("#id_date").input_value() == event.display_date
    # The admin's own scripts ran: the date widget added its "Today" shortcut.
    page.goto(f"{live_server.url}/admin/events/source/add/")
    page.locator(".datetimeshortcuts a", has_text="Today").first.click()
    assert page.locator("#id_published_on").input_value()

    assert errors == []
    assert [text for text in violations if "script" in text] == []  # no blocked script
