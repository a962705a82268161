"""A curator reviews the candidates of an article in Chromium, with the keyboard alone: the
sentence is marked in its paragraph, Tab reaches each action in reading order, Enter accepts,
and the review page has no serious accessibility violation."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from events.choices import EventStatus
from events.ingestion.models import Candidate, CandidateState
from events.ingestion.services import ingest_text
from events.models import Event
from tests.factories import StateFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
TEXT = (
    "Talks in Riyadh\n\n"
    "The United States and Russia held talks in Riyadh on Feb. 18, officials said.\n\n"
    "The weather was mild."
)


def _curator():
    # The groups come from a data migration, which the live server's flush erases.
    user = UserFactory(username="cora", is_staff=True)
    codenames = [
        f"{action}_{model}"
        for action in ("view", "add", "change")
        for model in ("ingestion", "candidate", "event", "participation", "citation", "source")
    ]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_a_curator_accepts_a_candidate_with_the_keyboard(page, live_server, taxonomy):
    from axe_playwright_python.sync_playwright import Axe

    StateFactory(name="United States", slug="united-states", iso3="USA")
    StateFactory(name="Russia", slug="russia", iso3="RUS")
    curator = _curator()
    ingestion = ingest_text(text=TEXT, user=curator, published=dt.date(2025, 2, 19))
    candidate = ingestion.candidates.get()
    assert "Riyadh" in candidate.sentence

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "cora")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/ingestion/ingestion/{ingestion.pk}/review/")

    mark = page.locator(f"#sentence-{candidate.pk} mark")
    assert "held talks in Riyadh" in mark.inner_text()
    serious = [
        (v["id"], v["impact"], [n["html"][:200] for n in v["nodes"]])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []

    accept = page.get_by_role("button", name="Accept as draft")
    for _ in range(60):  # Tab through the page until the Accept button has the focus
        page.keyboard.press("Tab")
        if accept.evaluate("button => document.activeElement === button"):
            break
    else:
        pytest.fail("Tab never reached “Accept as draft”")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    candidate = Candidate.objects.get(pk=candidate.pk)
    assert candidate.state == CandidateState.ACCEPTED, page.locator("#content").inner_text()
    assert candidate.state == CandidateState.ACCEPTED
    event = Event.objects.get(pk=candidate.event_id)
    assert event.status == EventStatus.DRAFT
    assert sorted(event.participations.values_list("actor__slug", flat=True)) == [
        "russia",
        "united-states",
    ]
    assert event.citations.get().quote == candidate.sentence
    assert "Accepted" in page.locator(f"#candidate-{candidate.pk}").inner_text()
