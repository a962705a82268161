"""/api/v1/sources/: readers see sources public events cite; details list the citing events."""

import datetime as dt

import pytest

from events.choices import CitationStance, DatePrecision, EventStatus, SourceKind
from tests.events.api.resource_helpers import assert_json_error, count_queries
from tests.factories import (
    CitationFactory,
    EventFactory,
    PublishedEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/sources/"


@pytest.fixture
def sources():
    un = SourceFactory(
        title="General Assembly resolution ES-11/7",
        url="https://undocs.org/A/RES/ES-11/7",
        kind=SourceKind.OFFICIAL_DOCUMENT,
        publisher="United Nations",
        published_on=dt.date(2025, 2, 1),
        published_precision=DatePrecision.MONTH,
        authors="First Author\nSecond Author",
    )
    news = SourceFactory(title="Talks in Riyadh", url="https://news.example.org/riyadh")
    draft_only = SourceFactory(title="Unchecked rumour", url="https://rumours.example.org/1")
    unused = SourceFactory(title="Not cited yet", url="https://example.org/unused")
    vote = PublishedEventFactory(
        slug="vote", title="The vote", start_date=dt.date(2025, 2, 24), citation=None
    )
    CitationFactory(event=vote, source=un, quote="Adopted by 93 votes.", locator="p. 1")
    talks = PublishedEventFactory(slug="talks", start_date=dt.date(2025, 2, 18), citation=None)
    CitationFactory(event=talks, source=news)
    CitationFactory(event=talks, source=un, stance=CitationStance.CONTEXT)
    CitationFactory(event=EventFactory(slug="draft", status=EventStatus.DRAFT), source=draft_only)
    CitationFactory(event=EventFactory(slug="draft-2", status=EventStatus.DRAFT), source=un)
    return {"un": un, "news": news, "draft_only": draft_only, "unused": unused}


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def test_readers_see_only_sources_that_public_events_cite(client, sources):
    assert titles(client.get(URL)) == ["General Assembly resolution ES-11/7", "Talks in Riyadh"]


def test_curators_see_every_source(curator_client, sources):
    assert len(titles(curator_client.get(URL))) == 4


def test_a_row_shows_the_publication_date_in_its_precision(client, sources):
    row = client.get(URL, {"publisher": "united"}).json()["results"][0]
    assert row["published"] == "Feb 2025"
    assert row["published_edtf"] == "2025-02"
    assert row["authors"] == ["First Author", "Second Author"]
    assert row["kind"] == "official_document"
    assert row["api_url"].endswith(f"/api/v1/sources/{sources['un'].pk}/")


def test_it_filters_by_kind_publisher_and_text(client, sources):
    assert titles(client.get(URL, {"kind": "official_document"})) == [
        "General Assembly resolution ES-11/7"
    ]
    assert titles(client.get(URL, {"publisher": "UNITED nations"})) == [
        "General Assembly resolution ES-11/7"
    ]
    assert titles(client.get(URL, {"q": "riyadh"})) == ["Talks in Riyadh"]
    assert titles(client.get(URL, {"q": "undocs.org"})) == ["General Assembly resolution ES-11/7"]
    assert_json_error(client.get(URL, {"kind": "tweet"}), 400, field="kind", contains="tweet")


def test_the_detail_lists_the_public_events_citing_it_by_date(client, sources):
    data = client.get(f"{URL}{sources['un'].pk}/").json()
    assert [(e["slug"], e["stance"]) for e in data["events"]] == [
        ("talks", "context"),
        ("vote", "supports"),
    ]
    vote = data["events"][1]
    assert vote["quote"] == "Adopted by 93 votes."
    assert vote["locator"] == "p. 1"
    assert vote["display_date"] == "24 Feb 2025"
    assert vote["edtf"] == "2025-02-24"
    assert vote["url"].endswith("/api/v1/events/vote/")
    assert data["version"] == sources["un"].version


def test_a_source_only_drafts_cite_is_a_404_for_readers(client, curator_client, sources):
    assert_json_error(client.get(f"{URL}{sources['draft_only'].pk}/"), 404)
    response = curator_client.get(f"{URL}{sources['draft_only'].pk}/")
    assert response.status_code == 200
    assert response.json()["events"] == []  # the detail lists public events only


def test_a_malformed_id_is_a_404(client, sources):
    assert client.get(f"{URL}abc/").status_code == 404


def test_the_list_costs_the_same_queries_for_1_or_100_sources(client):
    CitationFactory(event=PublishedEventFactory(citation=None))
    one = count_queries(client, URL)
    for _ in range(99):
        CitationFactory(event=PublishedEventFactory(citation=None))
    assert count_queries(client, URL + "?page_size=200") == one


def test_the_detail_costs_the_same_queries_for_1_or_50_citing_events(client):
    source = SourceFactory()
    CitationFactory(source=source, event=PublishedEventFactory(citation=None))
    one = count_queries(client, f"{URL}{source.pk}/")
    for _ in range(49):
        CitationFactory(source=source, event=PublishedEventFactory(citation=None))
    assert count_queries(client, f"{URL}{source.pk}/") == one
