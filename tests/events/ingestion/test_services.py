"""Ingesting an article and reviewing its candidates, through the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from reversion.models import Version

from events.choices import EventStatus
from events.ingestion.models import Candidate, CandidateState, Ingestion, Rejection
from events.ingestion.services import (
    IngestRefused,
    accept,
    accept_into,
    ingest_html,
    ingest_text,
    ingest_url,
    reject,
)
from events.models import Citation, Event, RevisionReview, Source, SourceSnapshot
from tests.conftest import *  # noqa: F403
from tests.events.ingestion.conftest import ARTICLE
from tests.factories import EventFactory, PublishedEventFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("extractor", "actors")]


def test_it_reads_a_fetched_article_into_a_source_and_candidates(server, curator):
    ingestion = ingest_url(url=f"{server}/article?utm_source=x", user=curator)
    assert ingestion.title == "US pauses military aid to Ukraine"
    assert ingestion.author == "Jane Doe"
    assert ingestion.published == dt.date(2025, 3, 4)
    assert ingestion.source.url == f"{server}/article"
    assert "Home | World" not in ingestion.text  # the navigation is not the article
    assert [c.paragraph for c in ingestion.candidates.all()] == [1, 3]
    first = ingestion.candidates.first()
    assert sorted(first.actors.values_list("slug", flat=True)) == ["ukraine", "united-states"]
    assert first.event_type.slug == "statement"
    assert ingestion.candidate_count == 2 and ingestion.created_by == curator


def test_it_reuses_the_source_of_the_same_normalised_url(server, curator):
    first = ingest_url(url=f"{server}/article", user=curator)
    again = ingest_url(url=f"{server}/article-again#top", user=curator)
    assert again.source == first.source
    assert Source.objects.count() == 1


def test_pasted_text_and_uploaded_html_are_read_too(curator):
    pasted = ingest_text(
        text="Ukraine said on Monday it was ready to talk.\n\nNothing else happened.",
        title="Talks",
        published=dt.date(2025, 3, 3),
        user=curator,
    )
    assert pasted.source.reference.startswith("sha256:")
    assert pasted.candidates.get().start_date == dt.date(2025, 3, 3)
    uploaded = ingest_html(data=ARTICLE.encode(), file_name="saved.html", user=curator)
    assert (uploaded.kind, uploaded.file_name, uploaded.candidate_count) == (
        "file",
        "saved.html",
        2,
    )


def test_readers_may_not_ingest(server):
    with pytest.raises(PermissionDenied):
        ingest_url(url=f"{server}/article", user=UserFactory())
    assert not Ingestion.objects.exists()


@pytest.fixture
def candidate(server, curator) -> Candidate:
    return ingest_url(url=f"{server}/article", user=curator).candidates.first()


def test_accept_creates_a_draft_with_participants_and_the_sentence_cited(candidate, curator):
    event = accept(candidate=candidate, user=curator)
    assert event.status == EventStatus.DRAFT
    assert event.start_date == dt.date(2025, 3, 4)
    assert sorted(event.actors.values_list("slug", flat=True)) == ["ukraine", "united-states"]
    citation = event.citations.get()
    assert citation.source == candidate.ingestion.source
    assert citation.quote == candidate.sentence
    assert citation.locator == "paragraph 1"
    candidate.refresh_from_db()
    assert (candidate.state, candidate.event, candidate.decided_by) == ("accepted", event, curator)
    assert candidate.ingestion.__class__.objects.get().accepted_count == 1
    version = Version.objects.get_for_object(event).get()
    assert version.revision.user == curator
    assert "Accepted a candidate" in version.revision.comment


def test_a_candidate_is_decided_once(candidate, curator):
    accept(candidate=candidate, user=curator)
    with pytest.raises(ValidationError, match="already accepted"):
        reject(candidate=candidate, user=curator)


def test_accept_without_a_type_or_a_date_asks_for_them(candidate, curator):
    candidate.event_type = None
    candidate.save()
    with pytest.raises(ValidationError, match="type"):
        accept(candidate=candidate, user=curator)
    with pytest.raises(ValidationError, match="not a date"):
        accept(candidate=candidate, user=curator, date="March")
    assert not Event.objects.exists()


def test_accept_into_cites_the_sentence_on_an_existing_event(candidate, curator):
    existing = EventFactory(title="US pauses aid")
    accept_into(candidate=candidate, event=existing, user=curator)
    assert existing.citations.get().quote == candidate.sentence
    candidate.refresh_from_db()
    assert (candidate.state, candidate.event) == (CandidateState.MERGED, existing)
    revision = Version.objects.get_for_object(candidate).get().revision
    assert revision.user == curator


def test_a_curators_citation_on_a_published_event_waits_for_an_editor(candidate, curator):
    published = PublishedEventFactory()
    before = published.citations.count()
    accept_into(candidate=candidate, event=published, user=curator)
    assert published.citations.count() == before
    assert RevisionReview.objects.filter(root_id=str(published.pk), revision__user=curator).exists()


def test_a_rejected_sentence_is_not_proposed_again(server, candidate, curator):
    reject(candidate=candidate, user=curator)
    assert Rejection.objects.get().sentence == candidate.sentence
    revision = Version.objects.get_for_object(candidate).get().revision
    assert (revision.user, revision.comment.split(";")[0]) == (
        curator,
        "Rejected a candidate from an article",
    )
    again = ingest_url(url=f"http://{server.split('://')[1]}/article", user=curator)
    assert again.skipped_count == 1
    assert candidate.sentence not in again.candidates.values_list("sentence", flat=True)
    assert again.candidate_count == 1


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "The server answered 404"),
        ("/loop-a", "redirects in a loop"),
        ("/huge", "larger than the limit"),
        ("/report.pdf", "The page is application/pdf"),
        ("/photo.png", "The page is image/png"),
        ("/empty", "No article text"),
        ("/latin1", "not UTF-8"),
    ],
)
def test_bad_pages_are_refused_with_a_reason_and_nothing_written(server, curator, path, reason):
    with pytest.raises(IngestRefused, match=reason):
        ingest_url(url=f"{server}{path}", user=curator)
    assert not Ingestion.objects.exists() and not Source.objects.exists()
    assert not SourceSnapshot.objects.exists()


def test_unreachable_and_internal_addresses_are_refused(curator, settings):
    settings.TIMELINE_FETCH_ALLOW_HOSTS = []
    with pytest.raises(IngestRefused, match="internal address"):
        ingest_url(url="http://127.0.0.1:9/article", user=curator)
    with pytest.raises(IngestRefused, match="could not be resolved"):
        ingest_url(url="http://no-such-host.invalid/article", user=curator)
    assert not Ingestion.objects.exists()


def test_non_utf8_text_is_refused(curator):
    with pytest.raises(IngestRefused, match="not UTF-8"):
        ingest_text(text="Kyiv caf\u00e9".encode("latin-1"), user=curator)
    assert not Citation.objects.exists() and not Ingestion.objects.exists()


def test_a_fetched_article_is_archived_with_its_hash(server, curator):
    ingestion = ingest_url(url=f"{server}/article", user=curator)
    snapshot = SourceSnapshot.objects.get(source=ingestion.source)
    assert snapshot.sha256 == ingestion.sha256
    assert "paused all military aid" in snapshot.text


def test_candidates_name_the_existing_events_they_may_repeat(server, curator, actors):
    existing = EventFactory(
        title="United States pauses military aid to Ukraine",
        slug="us-pauses-aid",
        start_date=dt.date(2025, 3, 4),
    )
    existing.actors.add(actors["ukraine"], actors["united-states"])
    first = ingest_url(url=f"{server}/article", user=curator).candidates.first()
    assert list(first.duplicates.values_list("slug", flat=True)) == ["us-pauses-aid"]


def test_a_failing_archive_storage_is_noted_not_fatal(server, curator, monkeypatch):
    from events.ingestion import services

    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(services, "store_snapshot", broken)
    ingestion = ingest_url(url=f"{server}/article", user=curator)
    assert "could not be archived" in ingestion.error
    assert ingestion.candidate_count == 2 and not SourceSnapshot.objects.exists()


def test_a_page_in_the_charset_it_declares_is_read(server, curator):
    ingestion = ingest_url(url=f"{server}/declared-latin1", user=curator)
    assert "military aid to Ukra\u00efne" in ingestion.text
