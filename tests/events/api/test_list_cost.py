"""The list path's cheaper internals give exactly what the plain ORM and django-filter gave."""

import datetime as dt

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from events import dates
from events.choices import DatePrecision
from events.filtersets import EventFilterSet
from events.models import ChangeStamp, Event
from tests.factories import (
    CitationFactory,
    ParticipationFactory,
    PublishedEventFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    usa = StateFactory(name="United States", slug="united-states", iso3="USA")
    first = PublishedEventFactory(slug="first", start_date=dt.date(2024, 5, 1))
    second = PublishedEventFactory(
        slug="second",
        start_date=dt.date(2025, 1, 1),
        start_precision=DatePrecision.YEAR,
        end_date=dt.date(2025, 3, 1),
        end_precision=DatePrecision.MONTH,
        published_at=timezone.now(),
    )
    ParticipationFactory(event=first, actor=usa)
    CitationFactory(event=second)
    return [first, second]


def test_a_page_of_events_costs_the_stamp_and_one_statement(
    client, events, django_assert_num_queries
):
    # PostgreSQL: the stamp and the page; elsewhere participants and citations cost one more each.
    expected = 2 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(expected):
        response = client.get("/api/v1/events/?page_size=100")
    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == ["first", "second"]


# ChangeStamp.current ---------------------------------------------------------------------------


def test_change_stamp_current_reads_the_row_in_one_query(django_assert_num_queries):
    ChangeStamp.bump(public=True)
    ChangeStamp.bump(public=True)
    stored = ChangeStamp.objects.get(pk=1)
    with django_assert_num_queries(1):
        stamp = ChangeStamp.current()
    assert (stamp.pk, stamp.counter, stamp.changed_at) == (1, stored.counter, stored.changed_at)
    assert stamp.changed_at.tzinfo is not None
    assert stamp._state.adding is False
    assert stamp._state.db == stored._state.db


def test_change_stamp_current_without_a_row_is_a_fresh_zero():
    ChangeStamp.objects.all().delete()
    stamp = ChangeStamp.current()
    assert (stamp.pk, stamp.counter) == (1, 0)
    assert abs(stamp.changed_at - timezone.now()) < dt.timedelta(minutes=1)


# EventFilterSet ------------------------------------------------------------------------------


def test_filtersets_do_not_share_filters_or_fields():
    one = EventFilterSet(QueryDict("ordering=-date"), queryset=Event.objects.public())
    two = EventFilterSet(QueryDict("ordering=bogus"), queryset=Event.objects.public())
    for name, base in EventFilterSet.base_filters.items():
        assert one.filters[name] is not base
        assert one.filters[name] is not two.filters[name]
        assert one.filters[name].parent is one
        assert two.filters[name].parent is two
        assert one.filters[name].model is Event
        assert not hasattr(base, "parent")
    # A `method=` filter calls its own filterset's method, not the class's or another one's.
    assert one.filters["q"].filter.f is one.filters["q"]
    assert one.filters["q"].filter.method.__self__ is one
    assert one.get_form_class() is two.get_form_class()
    for name, field in one.form.fields.items():
        other = two.form.fields[name]
        assert field is not other
        assert field.widget is not other.widget
        assert field.widget.attrs is not other.widget.attrs
        assert field.error_messages is not other.error_messages
        assert field is not one.get_form_class().base_fields[name]
    assert one.is_valid()
    assert not two.is_valid()
    assert one.ordering_fields == ("-date_lower", "-id")
    assert list(two.errors) == ["ordering"]


def test_filterset_form_keeps_django_filter_labels_and_help():
    form = EventFilterSet(QueryDict(""), queryset=Event.objects.public()).form
    assert list(form.fields) == list(EventFilterSet.base_filters)
    assert form.fields["updated_since"].label == "Updated at is greater than or equal to"
    assert form.fields["actor"].help_text.startswith("Actor slug")


def test_filterset_without_data_is_unbound():
    filterset = EventFilterSet(queryset=Event.objects.public())
    assert not filterset.is_bound
    assert not filterset.is_valid()
    assert filterset.qs.query.order_by == Event.objects.public().query.order_by


# dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        (dt.date(2025, 2, 18), DatePrecision.DAY, False, None, None, False),
        (dt.date(2025, 2, 1), "month", True, None, None, False),
        (dt.date(2025, 1, 1), DatePrecision.YEAR, False, dt.date(2026, 1, 1), "year", True),
        (dt.date(2025, 1, 1), "year", False, dt.date(2025, 3, 5), None, False),
    ],
)
def test_memoised_date_texts_match_the_plain_functions(args):
    for _ in range(2):  # a miss, then a hit
        assert dates.display_range(*args) == dates.display_range.__wrapped__(*args)
        assert dates.edtf(*args) == dates.edtf.__wrapped__(*args)


# References resolved once per data version ---------------------------------------------------


def _actor_queries(client, path: str) -> tuple[int, object]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return sum('FROM "events_actor"' in query["sql"] for query in queries), response


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/events/?actor=usa",
        "/api/v1/timeline/?actor=usa&type=statement",
        "/embed/timeline/?actor=usa",
        "/events/?actor=usa",
        "/api/v1/votes/?actor=usa",
    ],
)
def test_a_repeated_reference_is_resolved_once_per_data_version(client, settings, events, path):
    settings.RESPONSE_CACHE = False
    first, response = _actor_queries(client, path)
    assert response.status_code == 200 and first >= 1
    again, response = _actor_queries(client, path)
    assert response.status_code == 200 and again == first - 1  # the resolving query


def test_a_renamed_actor_is_resolved_again(client, settings, events):
    settings.RESPONSE_CACHE = False
    assert len(client.get("/api/v1/events/?actor=usa").json()["results"]) == 1
    usa = Event.objects.get(slug="first").participations.get().actor
    usa.iso3, usa.slug = "XUS", "former-usa"
    usa.save()  # moves the public change stamp
    response = client.get("/api/v1/events/?actor=usa")
    assert response.status_code == 400, response.content
    assert "Unknown actor: usa" in response.content.decode()
    assert len(client.get("/api/v1/events/?actor=xus").json()["results"]) == 1


def test_a_curators_request_resolves_every_time(client, settings, events, curator):
    settings.RESPONSE_CACHE = False
    client.force_login(curator)
    first, _ = _actor_queries(client, "/api/v1/events/?actor=usa")
    again, _ = _actor_queries(client, "/api/v1/events/?actor=usa")
    assert again == first >= 1
