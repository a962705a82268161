"""`q`: full-text search in date order or ranked, tolerant of misspelt names, on PostgreSQL;
plain on SQLite."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Actor
from tests.factories import ParticipationFactory, PersonFactory, PublishedEventFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/"
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text and trigram search need PostgreSQL"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite fallback")


def slugs(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


@pytest.fixture
def zelensky_events():
    person = PersonFactory(
        name="Volodymyr Zelenskyy", slug="zelenskyy", aliases="Zelensky\nVolodymyr Zelensky"
    )
    meeting = PublishedEventFactory(
        slug="oval-office",
        title="Oval Office meeting ends early",
        summary="The meeting broke down.",
        start_date=dt.date(2025, 2, 28),
    )
    ParticipationFactory(event=meeting, actor=person)
    PublishedEventFactory(
        slug="minerals",
        title="Minerals deal talks",
        summary="Talks on a minerals deal continued.",
        start_date=dt.date(2025, 2, 20),
    )
    PublishedEventFactory(
        slug="mention",
        title="European leaders react",
        summary="Leaders backed the minerals framework after the Oval Office meeting.",
        start_date=dt.date(2025, 3, 2),
    )


def test_q_matches_titles_summaries_and_participants_names(client, zelensky_events):
    assert "minerals" in slugs(client, q="minerals")
    assert slugs(client, q="broke") == ["oval-office"]
    assert slugs(client, q="Zelenskyy") == ["oval-office"]
    assert slugs(client, q="zelensky") == ["oval-office"]  # an alias
    assert slugs(client, q="nothing-like-this") == []


def test_q_combines_with_other_filters(client, zelensky_events):
    assert slugs(client, q="minerals", to="2025-02") == ["minerals"]
    assert slugs(client, q="minerals", actor="zelenskyy") == []


def test_q_works_in_the_grouped_timeline_and_its_facets(client, zelensky_events):
    data = client.get("/api/v1/timeline/", {"q": "Zelenskyy"}).json()
    assert data["facets"]["actors"] == [
        {"slug": "zelenskyy", "name": "Volodymyr Zelenskyy", "count": 1}
    ]
    assert [e["slug"] for p in data["periods"] for e in p["events"]] == ["oval-office"]


def test_q_results_page_through_without_duplicates(client):
    for index in range(7):
        PublishedEventFactory(
            slug=f"talks-{index}",
            title=f"Talks round {index}",
            start_date=dt.date(2025, 1, 1 + index % 3),
        )
    seen, url = [], f"{URL}?q=talks&page_size=3"
    while url:
        page = client.get(url).json()
        seen += [row["slug"] for row in page["results"]]
        url = page["next"]
    assert sorted(seen) == [f"talks-{index}" for index in range(7)]


@sqlite_only
def test_sqlite_falls_back_to_matching_every_word(client, zelensky_events):
    assert slugs(client, q="minerals deal") == ["minerals"]
    assert slugs(client, q="Zelenski") == []  # no fuzzy matching without PostgreSQL


@pytest.fixture
def minerals_first(zelensky_events):
    """A summary mention of minerals earlier than every other."""
    PublishedEventFactory(
        slug="minerals-first",
        title="A port reopens",
        summary="Shipping of minerals resumed.",
        start_date=dt.date(2025, 1, 5),
    )


def test_a_search_reads_in_date_order_unless_relevance_is_asked(client, minerals_first):
    assert slugs(client, q="minerals") == ["minerals-first", "minerals", "mention"]
    assert slugs(client, q="minerals", ordering="-date") == [
        "mention",
        "minerals",
        "minerals-first",
    ]


@postgres_only
def test_postgresql_ranks_title_matches_above_summary_mentions(client, minerals_first):
    assert slugs(client, q="Oval Office", ordering="relevance") == ["oval-office", "mention"]
    # the title match first, then the two summary mentions by date
    assert slugs(client, q="minerals", ordering="relevance") == [
        "minerals",
        "minerals-first",
        "mention",
    ]


@postgres_only
def test_postgresql_narrowed_searches_find_what_the_plain_filter_finds(client, zelensky_events):
    """With an actor, a type or a period the text is a semi-join (events.search): the same
    events, in the same order, as the direct filter and as the ranked search."""
    assert slugs(client, q="Oval Office", to="2025-03") == ["oval-office", "mention"]
    assert slugs(client, q="meeting", actor="zelenskyy") == ["oval-office"]
    assert slugs(client, q="meeting", actor="zelenskyy", ordering="relevance") == ["oval-office"]
    assert slugs(client, q="meeting", ordering="-date", **{"from": "2025-02"}) == [
        "mention",
        "oval-office",
    ]


@postgres_only
def test_postgresql_finds_misspelt_names(client, zelensky_events):
    assert slugs(client, q="Zelenski") == ["oval-office"]
    assert slugs(client, q="Zelenskii") == ["oval-office"]


@postgres_only
def test_postgresql_uses_websearch_syntax(client, zelensky_events):
    assert slugs(client, q='"minerals deal"') == ["minerals"]
    assert slugs(client, q="minerals -oval") == ["minerals"]


@postgres_only
def test_the_search_vector_follows_renamed_participants(client, zelensky_events):
    actor = Actor.objects.get(slug="zelenskyy")
    actor.aliases = "Zelenskiy"
    actor.save()
    assert slugs(client, q="Zelenskiy") == ["oval-office"]


@postgres_only
def test_postgresql_finds_misspelt_names_only_when_nothing_matches_in_full_text(
    client, zelensky_events
):
    PublishedEventFactory(
        slug="spelt-so",
        title="Profile of the president",
        summary="Spelt Zelenski in this source.",
        start_date=dt.date(2025, 3, 5),
    )
    # the word is in a summary, so full text answers alone: no look-alike names added
    assert slugs(client, q="Zelenski") == ["spelt-so"]
    assert slugs(client, q="Zelenskii") == ["oval-office"]  # nowhere in full text: by name


@postgres_only
def test_postgresql_misspelt_names_still_obey_the_other_filters(client, zelensky_events):
    assert slugs(client, q="Zelenski", actor="zelenskyy") == ["oval-office"]
    assert slugs(client, q="Zelenski", to="2025-01") == []
    assert slugs(client, q="Zelenski", ordering="-date") == ["oval-office"]


@postgres_only
def test_postgresql_adds_no_trigram_match_when_full_text_matches(
    client, zelensky_events, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5) as captured:
        assert slugs(client, q="minerals") == ["minerals", "mention"]
    assert not any("%>" in query["sql"] for query in captured.captured_queries)
    with django_assert_max_num_queries(5) as captured:
        assert slugs(client, q="Zelenski") == ["oval-office"]
    assert any("%>" in query["sql"] for query in captured.captured_queries)


@postgres_only
def test_postgresql_relevance_pages_through_unequal_ranks(client, zelensky_events):
    PublishedEventFactory(
        slug="minerals-minerals",
        title="Minerals, minerals and more minerals",
        summary="Minerals again.",
        start_date=dt.date(2025, 3, 10),
    )
    expected = slugs(client, q="minerals", ordering="relevance")
    assert expected[0] == "minerals-minerals"  # the best, although the latest
    assert len(expected) == 3
    seen, url = [], f"{URL}?q=minerals&ordering=relevance&page_size=1"
    while url:
        page = client.get(url).json()
        seen += [row["slug"] for row in page["results"]]
        url = page["next"]
    assert seen == expected


@postgres_only
def test_postgresql_the_existence_check_is_kept_per_data_version(client, zelensky_events, settings):
    """Asked once per public data version (events.search.matched): a second page does not
    ask again, and a published event that matches in full text is found at once."""
    settings.RESPONSE_CACHE = False

    def checks(queries) -> int:
        return sum("SELECT EXISTS (SELECT 1 FROM m)" in q["sql"] for q in queries)

    with CaptureQueriesContext(connection) as first:
        page = client.get(URL, {"q": "Zelenski", "page_size": 1}).json()
    assert [row["slug"] for row in page["results"]] == ["oval-office"]  # by name
    assert checks(first) == 1
    with CaptureQueriesContext(connection) as again:
        client.get(URL, {"q": "Zelenski", "page_size": 1})
    assert checks(again) == 0
    PublishedEventFactory(
        slug="spelt-so",
        title="Profile of the president",
        summary="Spelt Zelenski in this source.",
        start_date=dt.date(2025, 3, 5),
    )
    assert slugs(client, q="Zelenski") == ["spelt-so"]  # full text now: the stamp moved
