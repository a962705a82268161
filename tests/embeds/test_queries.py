"""Pages and embeds run a fixed number of queries, however many events they show."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CitationFactory,
    CountryVoteFactory,
    ParticipationFactory,
    PersonFactory,
    PublishedEventFactory,
    RoleFactory,
    StateFactory,
    TimelineEntryFactory,
    TimelineFactory,
    VoteRecordFactory,
)

pytestmark = pytest.mark.django_db

URLS = [
    "/",
    "/timelines/many/",
    "/embed/timelines/many/",
    "/embed/timeline/?actor=many-state",
    "/actors/many-state/",
    "/actors/many-state/?with=other-state",
    "/events/many-0/",
    "/oembed?url=http://testserver/timelines/many/",
]


def add_events(timeline, state, other, start: int, count: int) -> None:
    for n in range(start, start + count):
        event = PublishedEventFactory(slug=f"many-{n}", start_date=dt.date(2024, 1 + n % 12, 1))
        CitationFactory(event=event)
        ParticipationFactory(event=event, actor=state)
        person = PersonFactory()
        RoleFactory(person=person, organisation=state)
        ParticipationFactory(event=event, actor=person)
        record = VoteRecordFactory(event=PublishedEventFactory(slug=f"vote-{n}"))
        CountryVoteFactory(vote_record=record, actor=state)
        CountryVoteFactory(vote_record=record, actor=other, option="no")
        TimelineEntryFactory(timeline=timeline, event=event)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_number_of_events(client):
    timeline = TimelineFactory(slug="many")
    state, other = StateFactory(slug="many-state"), StateFactory(slug="other-state")
    add_events(timeline, state, other, 0, 2)
    few = {url: count_queries(client, url) for url in URLS}
    add_events(timeline, state, other, 2, 12)
    many = {url: count_queries(client, url) for url in URLS}
    assert many == few


# A curated timeline's page and embed run one more query than a filtered embed: its captions.
# Pages listing events (marked True) read their rows in one statement on PostgreSQL, in three
# elsewhere (events, participants, sources: events.rows).
BUDGETS = [3, 6, 6, 5, 7, 8, 5, 2]
LISTS_EVENTS = [False, True, True, True, True, True, False, False]


@pytest.mark.parametrize(
    ("url", "most", "rows"), list(zip(URLS, BUDGETS, LISTS_EVENTS, strict=True))
)
def test_each_page_stays_within_its_query_budget(
    client, url, most, rows, django_assert_max_num_queries
):
    timeline = TimelineFactory(slug="many")
    add_events(timeline, StateFactory(slug="many-state"), StateFactory(slug="other-state"), 0, 6)
    if rows and connection.vendor == "postgresql":
        most -= 2
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200
