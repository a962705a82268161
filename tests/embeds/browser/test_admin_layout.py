"""The curators' admin at a laptop's width: 1280 px without sideways scrolling (usable at
1024), the date typed as the source says it, and nothing serious for axe."""

import pytest
from django.core.management import call_command

from events.models import Event
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
OVERFLOW = "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"


@pytest.fixture
def demo(taxonomy):
    call_command("load_demo", verbosity=0)


def sign_in(page, live_server, username="editor-in-chief"):
    UserFactory(username=username, is_superuser=True)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def serious_axe_violations(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:6])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [1280, 1024])
def test_the_event_form_and_list_fit_the_screen(page, live_server, demo, artifacts, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server)
    event = Event.objects.get(slug="us-pauses-military-aid-to-ukraine")
    pages = {
        "index": f"{live_server.url}/admin/",
        "event-list": f"{live_server.url}/admin/events/event/",
        "event-form": f"{live_server.url}/admin/events/event/{event.pk}/change/",
        "event-add": f"{live_server.url}/admin/events/event/add/",
    }
    for name, url in pages.items():
        page.goto(url)
        scroll_width, client_width = page.evaluate(OVERFLOW)
        page.screenshot(path=str(artifacts / f"admin-{name}-{width}.png"), full_page=True)
        if width == 1280:  # the first screen, as in README (docs/img/admin-*.png)
            page.screenshot(path=str(artifacts / f"admin-{name}.png"))
        assert scroll_width <= client_width, (name, scroll_width, client_width)


def test_the_event_list_and_form_are_accessible(page, live_server, demo):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    event = Event.objects.get(slug="us-pauses-military-aid-to-ukraine")
    for url in (
        f"{live_server.url}/admin/",
        f"{live_server.url}/admin/events/event/",
        f"{live_server.url}/admin/events/event/{event.pk}/change/",
    ):
        page.goto(url)
        assert serious_axe_violations(page) == [], url


def test_a_curator_types_the_date_as_the_source_says_it(page, live_server, taxonomy):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/events/event/add/")
    page.fill("#id_title", "Talks resume in Istanbul")
    page.fill("#id_slug", "talks-resume-in-istanbul")
    page.locator(".field-event_type .select2-selection").click()
    page.keyboard.type("Bilateral")
    page.locator(".select2-results__option", has_text="Bilateral talks").click()
    page.fill("#id_date", "early 2025")
    page.click("input[name=_continue]")
    error = page.locator(".field-date .errorlist")
    assert "“early 2025” is too vague to store" in error.inner_text()

    page.fill("#id_date", "c. Feb 2025")
    page.click("input[name=_continue]")
    page.wait_for_url("**/change/")
    assert page.locator("#id_date").input_value() == "c. Feb 2025"
    event = Event.objects.get(title="Talks resume in Istanbul")
    assert (event.start_precision, event.start_approximate) == ("month", True)


def test_a_curator_filters_the_event_list_by_typing_an_actors_alias(page, live_server, demo):
    page.set_viewport_size({"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/events/event/?status__exact=published")
    page.locator(".actor-filter .select2-selection").click()
    page.keyboard.type("Rubio")
    page.locator(".select2-results__option", has_text="Marco Rubio").click()
    assert errors == []
    page.wait_for_url("**actor=*")
    assert "status__exact=published" in page.url  # the other filters are kept
    titles = page.locator("#result_list td.field-title, #result_list th.field-title")
    assert titles.count() >= 1
    assert all("Rubio" in row for row in page.locator("#result_list tbody tr").all_inner_texts())
