"""The curator's desk: the admin index's dashboard, the event list's period and participant
filters, and its columns."""

import datetime as dt

import pytest
from django.urls import reverse

from events.admin.filters import PeriodFilter
from events.choices import EventStatus
from events.models import Event
from tests.events.test_admin import admin_url
from tests.factories import (
    EventFactory,
    ParticipationFactory,
    PersonFactory,
    PublishedEventFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


def listed(client, **params) -> set[str]:
    response = client.get(admin_url(Event, "changelist"), params)
    assert response.status_code == 200
    return {event.title for event in response.context["cl"].result_list}


def test_the_index_counts_drafts_and_events_in_review_with_links_to_them(curator_client):
    EventFactory.create_batch(2, status=EventStatus.DRAFT)
    EventFactory(status=EventStatus.IN_REVIEW)
    PublishedEventFactory()
    html = curator_client.get(reverse("admin:index")).content.decode()
    events = admin_url(Event, "changelist")
    assert f'<a href="{events}?status__exact=draft"><span class="count">2</span> Drafts</a>' in html
    assert (
        f'<a href="{events}?status__exact=in_review"><span class="count">1</span> In review</a>'
        in html
    )
    assert "Waiting for work" in html


def test_the_dashboard_costs_one_query(editor_client, django_assert_max_num_queries):
    EventFactory.create_batch(3)
    editor_client.get(reverse("admin:index"))  # the session and permissions are cached
    with django_assert_max_num_queries(8) as captured:
        editor_client.get(reverse("admin:index"))
    assert sum("events_event" in query["sql"] for query in captured.captured_queries) == 1


def test_the_period_filter_takes_an_events_whole_span():
    today = dt.date(2026, 12, 3)
    assert PeriodFilter.bounds("this_year", today) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert PeriodFilter.bounds("last_year", today) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert PeriodFilter.bounds("older", today) == (None, dt.date(2024, 12, 31))
    assert PeriodFilter.bounds("30d", today) == (dt.date(2026, 11, 3), today)
    assert PeriodFilter.bounds("nonsense", today) is None


def test_the_event_list_filters_by_period(editor_client):
    year = dt.date.today().year
    EventFactory(title="This year", start_date=dt.date(year, 1, 1), start_precision="year")
    EventFactory(title="Last year", start_date=dt.date(year - 1, 3, 4))
    EventFactory(title="Long ago", start_date=dt.date(2001, 3, 1), start_precision="month")
    assert listed(editor_client, period="this_year") == {"This year"}
    assert listed(editor_client, period="last_year") == {"Last year"}
    assert listed(editor_client, period="older") == {"Long ago"}


def test_the_participant_filter_is_a_search_box_that_keeps_the_other_filters(editor_client):
    person = PersonFactory(name="Marco Rubio", aliases="Rubio")
    ParticipationFactory(event=EventFactory(title="With Rubio"), actor=person)
    EventFactory(title="Without")
    response = editor_client.get(
        admin_url(Event, "changelist"), {"actor": person.pk, "status__exact": "draft"}
    )
    html = response.content.decode()
    assert {event.title for event in response.context["cl"].result_list} == {"With Rubio"}
    # Django's autocomplete over the actors, with the chosen one shown.
    assert 'data-model-name="participation"' in html and 'data-field-name="actor"' in html
    assert f'<option value="{person.pk}" selected>Marco Rubio</option>' in html
    assert '<input type="hidden" name="status__exact" value="draft">' in html
    assert "Any participant" in html
    # The autocomplete answers a curator typing an alias.
    found = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "events",
            "model_name": "participation",
            "field_name": "actor",
            "term": "rubio",
        },
    ).json()
    assert [row["text"] for row in found["results"]] == ["Marco Rubio"]


def test_a_long_list_of_participants_is_cut_to_three_names(editor_client):
    event = EventFactory(title="A UN vote")
    for name in ("Aland", "Bland", "Cland", "Dland", "Eland"):
        ParticipationFactory(event=event, actor=StateFactory(name=name))
    html = editor_client.get(admin_url(Event, "changelist")).content.decode()
    assert "Aland, Bland, Cland and 2 more" in html
