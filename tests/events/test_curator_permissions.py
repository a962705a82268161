"""Curators remove wrong rows inline (recorded in history); deleting events, actors and
sources stays with editors."""

import pytest
from django.contrib.auth.models import Group

from events.models import Actor, Citation, CountryVote, Event, Participation, Source, VoteRecord
from tests.events.test_admin import admin_url, form_values
from tests.factories import (
    ActorFactory,
    CitationFactory,
    CountryVoteFactory,
    EventFactory,
    ParticipationFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db

INLINE_ROWS = [
    "participation",
    "citation",
    "countryvote",
    "aidmeasure",
    "eventrelation",
    "timelineentry",
]
EDITORS_ONLY = ["event", "actor", "source", "eventtype", "role", "voterecord", "timeline"]


def curator_codenames() -> set[str]:
    return set(Group.objects.get(name="Curator").permissions.values_list("codename", flat=True))


@pytest.mark.parametrize("model", INLINE_ROWS)
def test_curators_may_delete_rows_edited_inline(model):
    assert f"delete_{model}" in curator_codenames()


@pytest.mark.parametrize("model", EDITORS_ONLY)
def test_curators_still_may_not_delete_records_that_stand_on_their_own(model):
    assert f"delete_{model}" not in curator_codenames()
    assert f"change_{model}" in curator_codenames()


def row_index(data: dict, prefix: str, pk: int) -> int:
    """The inline form (`citations-2-…`) that holds the row with this id."""
    return next(
        int(name.split("-")[1])
        for name, values in data.items()
        if name.startswith(f"{prefix}-") and name.endswith("-id") and values == [str(pk)]
    )


def test_a_curator_removes_a_wrong_citation_from_an_event(curator_client, curator):
    event = EventFactory()
    right = CitationFactory(event=event, quote="The aid was paused.")
    wrong = CitationFactory(event=event, quote="About another event.")
    url = admin_url(Event, "change", event.pk)
    data = form_values(curator_client.get(url))
    index = row_index(data, "citations", wrong.pk)
    data[f"citations-{index}-DELETE"] = ["on"]

    response = curator_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(event.citations.all()) == [right]
    assert Source.objects.filter(pk=wrong.source_id).exists()  # the evidence stays on file
    removal = Citation.history.get(id=wrong.pk, history_type="-")
    assert removal.history_user == curator
    assert removal.quote == "About another event."


def test_a_curator_removes_a_wrong_participant_and_search_forgets_it(curator_client, curator):
    event = EventFactory()
    ParticipationFactory(event=event, actor=StateFactory(name="Freedonia", slug="freedonia"))
    wrong = ParticipationFactory(event=event, actor=StateFactory(name="Sylvania", slug="sylvania"))
    url = admin_url(Event, "change", event.pk)
    data = form_values(curator_client.get(url))
    data[f"participations-{row_index(data, 'participations', wrong.pk)}-DELETE"] = ["on"]

    assert curator_client.post(url, data).status_code == 302

    assert list(event.participations.values_list("actor__name", flat=True)) == ["Freedonia"]
    assert Event.objects.get(pk=event.pk).search_actors == "Freedonia"
    assert Participation.history.get(id=wrong.pk, history_type="-").history_user == curator
    assert Actor.objects.filter(pk=wrong.actor_id).exists()


def test_a_curator_removes_a_wrong_country_vote_from_a_roll(curator_client, curator):
    vote = CountryVoteFactory()
    url = admin_url(VoteRecord, "change", vote.vote_record_id)
    data = form_values(curator_client.get(url))
    data[f"country_votes-{row_index(data, 'country_votes', vote.pk)}-DELETE"] = ["on"]

    assert curator_client.post(url, data).status_code == 302

    assert not CountryVote.objects.exists()
    assert CountryVote.history.get(id=vote.pk, history_type="-").history_user == curator


def test_a_curator_still_cannot_delete_an_event_with_citations(curator_client):
    citation = CitationFactory()
    event = citation.event
    url = admin_url(Event, "delete", event.pk)

    assert curator_client.get(url).status_code == 403
    assert curator_client.post(url, {"post": "yes"}).status_code == 403

    assert Event.objects.filter(pk=event.pk).exists()
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_a_curator_still_cannot_delete_actors_or_sources(curator_client):
    actor, source = ActorFactory(), CitationFactory().source
    for obj in (actor, source):
        url = admin_url(type(obj), "delete", obj.pk)
        assert curator_client.post(url, {"post": "yes"}).status_code == 403
    assert Actor.objects.filter(pk=actor.pk).exists()
    assert Source.objects.filter(pk=source.pk).exists()
