"""events.rows: the one projection, and its one actor rule on every surface."""

import csv
import io

import pytest

from events import rows
from events.choices import ParticipantRole
from events.models import Event
from tests.factories import ParticipationFactory, PublishedEventFactory, StateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hosted():
    """An event whose host is also its initiator, with a second actor."""
    event = PublishedEventFactory(slug="hosted-talks", title="Hosted talks")
    host = StateFactory(name="Genovia", slug="genovia", iso3="GNV")
    ParticipationFactory(event=event, actor=host, role=ParticipantRole.INITIATOR)
    ParticipationFactory(
        event=event, actor=StateFactory(name="Latveria", slug="latveria"), role="target"
    )
    ParticipationFactory(event=event, actor=host, role=ParticipantRole.HOST)
    return event


def test_a_row_keeps_every_participation_and_lists_each_actor_once(hosted):
    (row,) = rows.event_rows(Event.objects.public(), 10)
    assert [(p.slug, p.role) for p in row.participants] == [
        ("genovia", "initiator"),
        ("latveria", "target"),
        ("genovia", "host"),
    ]
    assert [actor.slug for actor in row.actors] == ["genovia", "latveria"]
    assert row.actor_slugs == "genovia latveria"


def test_the_api_row_lists_both_roles_of_one_actor(client, hosted):
    (row,) = client.get("/api/v1/events/").json()["results"]
    assert [(a["slug"], a["role"]) for a in row["actors"]] == [
        ("genovia", "initiator"),
        ("latveria", "target"),
        ("genovia", "host"),
    ]


def test_the_csv_and_the_embed_name_each_actor_once(client, hosted):
    response = client.get("/api/v1/events/", {"format": "csv"})
    (record,) = csv.DictReader(io.StringIO(response.content.decode()))
    assert record["actors"] == "Genovia; Latveria"
    html = client.get("/embed/timeline/").content.decode()
    assert html.count('?actor=genovia" target="_blank" rel="noopener">Genovia</a>') == 1


def test_a_highlighted_actor_is_marked_once_by_slug_or_iso3(client, hosted):
    html = client.get("/embed/timeline/", {"highlight": "gnv"}).content.decode()
    assert 'class="event is-highlighted' in html
    html = client.get("/embed/timeline/", {"highlight": "genovia"}).content.decode()
    assert (
        html.count('<a class="actor is-highlighted" href="http://testserver/events/?actor=genovia"')
        == 1
    )


def test_the_api_the_pages_and_the_embeds_read_the_same_columns(client, hosted):
    """One projection: a bulk change to any projected column shows on every surface."""
    Event.objects.filter(pk=hosted.pk).update(title="Renamed in bulk")
    assert client.get("/api/v1/events/").json()["results"][0]["title"] == "Renamed in bulk"
    assert "Renamed in bulk" in client.get("/embed/timeline/").content.decode()
    assert "Renamed in bulk" in client.get("/actors/genovia/").content.decode()
