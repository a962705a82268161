"""Keyset pages: every row exactly once, in order, ties included; no COUNT; constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event
from tests.factories import CitationFactory, ParticipationFactory, PublishedEventFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/"


@pytest.fixture
def events_with_ties():
    """Eleven events on four dates (several on the same day), varied importance."""
    days = [dt.date(2025, 2, 18)] * 4 + [dt.date(2025, 3, 1)] * 3 + [dt.date(2024, 12, 31)] * 4
    return [
        PublishedEventFactory(slug=f"e{index:02d}", start_date=day, importance=index % 3 + 1)
        for index, day in enumerate(days)
    ]


def walk(client, first_url: str) -> tuple[list[str], list[dict]]:
    seen, pages, url = [], [], first_url
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        page = response.json()
        pages.append(page)
        seen += [row["slug"] for row in page["results"]]
        url = page["next"]
    return seen, pages


@pytest.mark.parametrize(
    ("ordering", "order_by"),
    [
        ("date", ("date_lower", "id")),
        ("-date", ("-date_lower", "-id")),
        ("-importance", ("-importance", "date_lower", "id")),
        ("-updated", ("-updated_at", "-id")),
    ],
)
def test_walking_the_pages_visits_every_row_once_in_order(
    client, events_with_ties, ordering, order_by
):
    expected = list(Event.objects.public().order_by(*order_by).values_list("slug", flat=True))

    seen, pages = walk(client, f"{URL}?ordering={ordering}&page_size=3")

    assert seen == expected
    assert len(pages) == 4
    assert pages[0]["previous"] is None
    assert pages[-1]["next"] is None


def test_previous_links_walk_back_over_the_same_pages(client, events_with_ties):
    _, pages = walk(client, f"{URL}?page_size=4")
    back = client.get(pages[-1]["previous"]).json()
    assert back["results"] == pages[-2]["results"]
    first = client.get(back["previous"]).json()
    assert first["results"] == pages[0]["results"]
    assert first["previous"] is None


def test_a_cursor_only_fits_the_ordering_it_came_from(client, events_with_ties):
    next_url = client.get(f"{URL}?page_size=2").json()["next"]
    response = client.get(next_url + "&ordering=-date")
    assert response.status_code == 400
    assert "another ordering" in response.json()["errors"]["cursor"][0]


def test_the_default_page_is_50_and_at_most_500(client):
    for index in range(51):
        PublishedEventFactory(slug=f"bulk-{index}")
    page = client.get(URL).json()
    assert len(page["results"]) == 50
    assert page["next"]
    assert len(client.get(URL, {"page_size": 500}).json()["results"]) == 51


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _event_with_parts(index: int) -> None:
    event = PublishedEventFactory(slug=f"full-{index}")
    ParticipationFactory(event=event)
    ParticipationFactory(event=event)
    CitationFactory(event=event)


def test_a_page_costs_the_same_queries_for_one_row_as_for_thirty(client):
    _event_with_parts(0)
    url = f"{URL}?page_size=100&type=statement"
    one = _queries(client, url)
    for index in range(1, 30):
        _event_with_parts(index)
    thirty = _queries(client, url)

    assert len(thirty) == len(one)
    # change stamp, the type and its subtypes (one query per taxonomy level), rows,
    # participants, citations
    assert len(one) <= 7


def test_the_list_never_counts_the_events(client, events_with_ties):
    for sql in _queries(client, f"{URL}?page_size=2"):
        assert "COUNT(" not in sql.upper()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement page is PostgreSQL's"
)
def test_on_postgresql_a_page_with_its_actors_and_sources_is_one_statement(client):
    for index in range(5):
        _event_with_parts(index)
    queries = _queries(client, f"{URL}?page_size=100")
    # The change stamp (for the ETag), then the events with their related sets as JSON.
    assert len(queries) == 2
    assert "events_participation" in queries[1] and "events_citation" in queries[1]


def test_rows_are_the_same_whether_related_sets_come_inline_or_by_query(rf):
    """The PostgreSQL path (JSON subqueries) and the portable one (a query per set) agree."""
    from events import rows

    for index in range(3):
        _event_with_parts(index)
    events = Event.objects.public().order_by("date_lower", "id")
    queryset, columns = rows.project(events)
    inline = rows.build(list(queryset.values(*columns)))
    by_query = rows.build(list(events.values(*rows.COLUMNS)))
    assert inline == by_query
    assert [len(row.participants) for row in inline] == [2, 2, 2]
    assert [len(row.sources) for row in inline] == [2, 2, 2]  # the factory cites one too
