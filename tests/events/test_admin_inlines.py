"""An event's admin page renders its inline rows (participants, citations) without a query
per row: the autocomplete selects show the object each row already holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event
from tests.events.test_admin import admin_url
from tests.factories import CitationFactory, EventFactory, ParticipationFactory, StateFactory

pytestmark = pytest.mark.django_db


def event_with_rows(rows: int) -> Event:
    event = EventFactory()
    for number in range(rows):
        state = StateFactory(name=f"State {number:03}", slug=f"state-{event.pk}-{number}")
        ParticipationFactory(event=event, actor=state)
        CitationFactory(event=event)
    return event


def queries_to_render(client, event: Event) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(Event, "change", event.pk))
    assert response.status_code == 200
    return len(queries)


def test_five_or_forty_participants_and_citations_cost_the_same_queries(curator_client):
    few, many = event_with_rows(5), event_with_rows(40)
    queries_to_render(curator_client, few)  # warm the caches

    assert queries_to_render(curator_client, few) == queries_to_render(curator_client, many)


def test_each_row_shows_its_own_participant(curator_client):
    event = event_with_rows(3)
    page = curator_client.get(admin_url(Event, "change", event.pk)).content.decode()
    for participation in event.participations.select_related("actor"):
        actor = participation.actor
        assert f'<option value="{actor.pk}" selected>{actor.name}</option>' in page
