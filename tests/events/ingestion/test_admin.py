"""The admin flow: New from article, the review queue, accept, accept into and reject."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.ingestion.models import Candidate, CandidateState, Ingestion
from events.models import Event, Source
from tests.events.ingestion.conftest import ARTICLE
from tests.factories import EventFactory, event_type

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("extractor", "actors")]
NEW = "/admin/ingestion/ingestion/new/"


def ingest(client, server, path="/article"):
    response = client.post(NEW, {"url": f"{server}{path}"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Ingestion.objects.latest("id")


def decide(client, candidate, action, **data):
    url = reverse("admin:ingestion_candidate_decide", args=[candidate.pk, action])
    return client.post(url, data, follow=True)


def test_new_from_article_reads_the_url_and_shows_the_review_page(curator_client, server):
    assert curator_client.get(NEW).status_code == 200
    response = curator_client.post(NEW, {"url": f"{server}/article"}, follow=True)
    page = response.content.decode()
    assert "2 candidate(s) to review" in page
    # The sentence is highlighted inside its paragraph, escaped as text.
    assert "<mark>The United States paused all military aid to Ukraine on Monday" in page
    assert "Accept as draft" in page and ">Reject</button>" in page
    # A duplicate's button must submit without the autocomplete field filled in.
    assert 'name="i' in page and 'required id="id_i' not in page


def test_pasted_text_and_html_files_are_accepted_too(curator_client):
    curator_client.post(NEW, {"text": "Ukraine asked for talks.", "published": "2025-02-18"})
    upload = SimpleUploadedFile("page.html", ARTICLE.encode(), content_type="text/html")
    curator_client.post(NEW, {"file": upload})
    assert sorted(Ingestion.objects.values_list("kind", flat=True)) == ["file", "text"]


@pytest.mark.parametrize(
    ("path", "message"),
    [("/missing", "The server answered 404"), ("/report.pdf", "application/pdf")],
)
def test_bad_input_shows_the_reason_and_writes_nothing(curator_client, server, path, message):
    response = curator_client.post(NEW, {"url": f"{server}{path}"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Ingestion.objects.exists() and not Source.objects.exists()


def test_accept_creates_a_draft_event(curator_client, server, curator):
    candidate = ingest(curator_client, server).candidates.first()
    response = decide(
        curator_client,
        candidate,
        "accept",
        **{
            f"c{candidate.pk}-title": "US pauses military aid to Ukraine",
            f"c{candidate.pk}-event_type": event_type("statement").pk,
            f"c{candidate.pk}-date": "2025-03-03",
        },
    )
    assert "Draft event" in response.content.decode()
    event = Event.objects.get()
    assert (event.title, event.status, str(event.start_date)) == (
        "US pauses military aid to Ukraine",
        "draft",
        "2025-03-03",
    )
    assert event.citations.get().locator == "paragraph 1"
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.ACCEPTED and candidate.decided_by == curator


def test_accept_into_a_chosen_event(curator_client, server):
    candidate = ingest(curator_client, server).candidates.first()
    existing = EventFactory(title="Aid paused")
    response = decide(curator_client, candidate, "accept-into", event=existing.pk)
    assert "is cited on" in response.content.decode()
    assert existing.citations.get().quote == candidate.sentence


def test_a_rejected_sentence_is_not_proposed_when_the_article_is_ingested_again(
    curator_client, server
):
    first = ingest(curator_client, server)
    rejected = first.candidates.first()
    decide(curator_client, rejected, "reject")
    again = ingest(curator_client, server)
    assert again.skipped_count == 1
    assert rejected.sentence not in again.candidates.values_list("sentence", flat=True)
    page = curator_client.get(reverse("admin:ingestion_queue")).content.decode()
    assert "1 rejected before" in page


def test_the_queue_lists_pending_candidates_by_article(curator_client, server):
    ingestion = ingest(curator_client, server)
    decide(curator_client, ingestion.candidates.first(), "reject")
    page = curator_client.get(reverse("admin:ingestion_queue")).content.decode()
    assert page.count('class="candidate"') == 1
    assert "US pauses military aid to Ukraine</a></h2>" in page


def test_pages_and_actions_answer_curators_only(client, server, curator_client):
    ingestion = ingest(curator_client, server)
    candidate = ingestion.candidates.first()
    from tests.factories import UserFactory

    reader = UserFactory(is_staff=True)
    client.force_login(reader)
    assert client.get(NEW).status_code == 403
    assert decide(client, candidate, "reject").status_code == 403
    assert Candidate.objects.get(pk=candidate.pk).state == CandidateState.PENDING


def test_the_changelist_and_the_index_link_to_new_from_article(curator_client):
    assert NEW in curator_client.get("/admin/ingestion/ingestion/").content.decode()
    assert NEW in curator_client.get("/admin/").content.decode()
