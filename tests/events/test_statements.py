"""events.statements: the hot reads' statements prepared once per connection on PostgreSQL."""

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from events import statements
from tests.factories import CitationFactory, ParticipationFactory, PublishedEventFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def prepared() -> dict[str, int]:
    """This connection's prepared statements: {first line: times executed}."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return {text.splitlines()[0]: runs for text, runs in cursor}


@pytest.fixture(autouse=True)
def _every_request_runs_the_view(settings):
    settings.RESPONSE_CACHE = False


@pytest.fixture
def event():
    event = PublishedEventFactory(slug="talks", title="Talks")
    ParticipationFactory(event=event)
    CitationFactory(event=event)
    return event


@postgresql_only
def test_the_list_the_detail_and_the_stamp_are_planned_once_per_connection(client, event):
    before = prepared()  # what earlier tests prepared on this connection, if any
    for _ in range(3):
        assert client.get("/api/v1/events/?page_size=10").status_code == 200
        assert client.get("/api/v1/events/talks/").status_code == 200
    found = {text: runs - before.get(text, 0) for text, runs in prepared().items()}
    # The stamp (read by both), the page's rows (ROWS_OF_KEYS) and the detail (DETAIL_OF_KEY):
    # each one prepared statement, its values in its text, run by every request.
    assert found["SELECT counter, changed_at FROM events_changestamp WHERE id = 1"] == 6
    ran = [(text, runs) for text, runs in found.items() if runs]
    (page,) = [runs for text, runs in ran if text.startswith("WITH k(c0, c1, c2)")]
    (detail,) = [runs for text, runs in ran if text.startswith("WITH k(c0) AS")]
    assert (page, detail) == (3, 3)


@postgresql_only
def test_prepared_statements_are_counted_and_logged_with_their_values(client, event):
    client.get("/api/v1/events/?page_size=10")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/events/?page_size=10")
    assert [row["slug"] for row in response.json()["results"]] == ["talks"]
    assert len(queries) == 2  # the stamp and the page, as before
    stamp, page = (query["sql"] for query in queries.captured_queries)
    assert stamp.endswith("WHERE id = 1")
    assert "'published'" in page and "$1" not in page


@postgresql_only
@postgresql_only
def test_a_connection_keeps_at_most_a_few_plans(client, event):
    """A page's plan holds about 330 KB of its backend's memory: the least used go first."""
    for year in range(2000, 2000 + statements.PREPARED_PER_CONNECTION + 5):
        assert client.get(f"/api/v1/events/?from={year}&page_size=10").status_code == 200
    assert len(prepared()) <= statements.PREPARED_PER_CONNECTION


@postgresql_only
def test_off_when_the_setting_says_so(client, event, settings):
    settings.DATABASE_PREPARED_READS = False
    before = prepared()  # what earlier tests prepared on this connection, if any
    for _ in range(2):
        assert client.get("/api/v1/events/?page_size=10").status_code == 200
        assert client.get("/api/v1/events/talks/").status_code == 200
    assert prepared() == before


@postgresql_only
def test_a_failing_statement_raises_djangos_error_and_the_connection_goes_on():
    with pytest.raises(DataError), transaction.atomic(), statements.cursor(connection) as cursor:
        cursor.execute("SELECT 1 / %s", [0])
    with statements.cursor(connection) as cursor:
        cursor.execute("SELECT %s + 1", [1])
        assert cursor.fetchone() == (2,)


def test_elsewhere_it_is_the_plain_cursor():
    with statements.cursor(connection) as cursor:
        cursor.execute("SELECT %s", [7])
        assert cursor.fetchone() == (7,)


def test_rows_of_gives_the_querysets_tuples_in_its_order_and_nothing_for_an_impossible_filter(
    event,
):
    from events.models import Event

    later = PublishedEventFactory(slug="later", start_date=event.start_date.replace(year=2030))
    events = Event.objects.order_by("-date_lower").values_list("slug", "date_lower")
    assert statements.rows_of(events) == [
        (later.slug, later.date_lower),
        (event.slug, event.date_lower),
    ]
    assert statements.rows_of(events.filter(pk__in=[])) == []


@postgresql_only
def test_a_plan_is_reused_only_for_the_same_values(client, event):
    """The values are in the prepared text: a period's plan never serves another period
    (PostgreSQL's generic plan for placeholders cost 4 times as much for 2015-2020)."""
    before = prepared()
    for period in ("from=2015&to=2020", "from=2016&to=2020", "from=2015&to=2020"):
        assert client.get(f"/api/v1/events/?{period}&page_size=10").status_code == 200
    texts = [text for text, runs in prepared().items() if runs != before.get(text, 0)]
    pages = [text for text in texts if text.startswith("WITH k(")]
    assert len(pages) == 2 and not any("$1" in text for text in texts)


def test_a_percent_sign_in_a_value_or_a_pattern_reads_as_itself(event):
    from events.models import Event

    PublishedEventFactory(slug="half", title="Aid cut by 50% overnight")
    found = Event.objects.filter(title__contains="50%").values_list("slug")
    assert statements.rows_of(found) == [("half",)]
    with statements.cursor(connection) as cursor:
        cursor.execute("SELECT '100%%' || %s", ["!"])
        assert cursor.fetchone() == ("100%!",)


def test_rows_of_refuses_a_column_order_it_would_misread(event):
    from django.db.models import F

    from events.models import Event

    # Django puts annotations after the model's fields in the statement, and reorders each
    # row for values_list(); rows_of reads the statement's order, so it says so instead.
    events = Event.objects.annotate(day=F("date_lower")).values_list("day", "slug")
    with pytest.raises(ValueError, match="statement's order"):
        statements.rows_of(events)
