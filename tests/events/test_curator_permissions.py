"""Curators remove wrong rows inline (recorded in history) and delete the never-published
drafts, actors and sources they created themselves; everything else stays with editors."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from events import revisions
from events.models import Actor, Citation, CountryVote, Event, Source, VoteRecord
from tests.events.test_admin import admin_url, form_values, messages_of, run_action
from tests.factories import (
    ActorFactory,
    CitationFactory,
    CountryVoteFactory,
    EventFactory,
    ParticipationFactory,
    SourceFactory,
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
# Curators hold these, but the services let them delete only what they created.
THEIR_OWN = ["event", "actor", "source"]
EDITORS_ONLY = ["eventtype", "role", "voterecord", "timeline"]


def curator_codenames() -> set[str]:
    return set(Group.objects.get(name="Curator").permissions.values_list("codename", flat=True))


@pytest.mark.parametrize("model", INLINE_ROWS)
def test_curators_may_delete_rows_edited_inline(model):
    assert f"delete_{model}" in curator_codenames()


@pytest.mark.parametrize("model", THEIR_OWN)
def test_curators_hold_the_delete_permission_for_what_they_may_create(model):
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


def record_as_it_is(root) -> None:
    with revisions.recorded(reason="as it is"):
        root.save()


def removed_by(root, part: str):
    """Who made the newest revision of the aggregate, and what `part` it removed."""
    newest = revisions.history(root)[0]
    (removed,) = [p for p in newest.diff.parts if p.part == part and p.action == "removed"]
    return newest.revision.user, removed.object.split(" ")[
        0
    ] if part == "citation" else removed.object


def test_a_curator_removes_a_wrong_citation_from_an_event(curator_client, curator):
    event = EventFactory()
    right = CitationFactory(event=event, quote="The aid was paused.")
    wrong = CitationFactory(event=event, quote="About another event.")
    record_as_it_is(event)
    url = admin_url(Event, "change", event.pk)
    data = form_values(curator_client.get(url))
    index = row_index(data, "citations", wrong.pk)
    data[f"citations-{index}-DELETE"] = ["on"]

    response = curator_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(event.citations.all()) == [right]
    assert Source.objects.filter(pk=wrong.source_id).exists()  # the evidence stays on file
    assert removed_by(event, "citation") == (curator, "Source")


def test_a_curator_removes_a_wrong_participant_and_search_forgets_it(curator_client, curator):
    event = EventFactory()
    ParticipationFactory(event=event, actor=StateFactory(name="Freedonia", slug="freedonia"))
    wrong = ParticipationFactory(event=event, actor=StateFactory(name="Sylvania", slug="sylvania"))
    record_as_it_is(event)
    url = admin_url(Event, "change", event.pk)
    data = form_values(curator_client.get(url))
    data[f"participations-{row_index(data, 'participations', wrong.pk)}-DELETE"] = ["on"]

    assert curator_client.post(url, data).status_code == 302

    assert list(event.participations.values_list("actor__name", flat=True)) == ["Freedonia"]
    assert Event.objects.get(pk=event.pk).search_actors == "Freedonia"
    assert removed_by(event, "participation") == (curator, "Sylvania (Participant)")
    assert Actor.objects.filter(pk=wrong.actor_id).exists()


def test_a_curator_removes_a_wrong_country_vote_from_a_roll(curator_client, curator):
    vote = CountryVoteFactory()
    event = vote.vote_record.event
    record_as_it_is(event)
    url = admin_url(VoteRecord, "change", vote.vote_record_id)
    data = form_values(curator_client.get(url))
    data[f"country_votes-{row_index(data, 'country_votes', vote.pk)}-DELETE"] = ["on"]

    assert curator_client.post(url, data).status_code == 302

    assert not CountryVote.objects.exists()
    assert removed_by(event, "country vote")[0] == curator


def test_a_curator_cannot_delete_an_event_someone_else_created(curator_client):
    citation = CitationFactory()
    event = citation.event
    url = admin_url(Event, "delete", event.pk)

    response = curator_client.post(url, {"post": "yes"}, follow=True)

    assert "Curators delete only the events they created" in response.content.decode()
    assert Event.objects.filter(pk=event.pk).exists()
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_a_curator_deletes_their_own_draft_with_its_citations(curator_client, curator):
    citation = CitationFactory(event=EventFactory(created_by=curator))
    url = admin_url(Event, "delete", citation.event.pk)

    assert curator_client.get(url).status_code == 200  # the confirmation page
    assert curator_client.post(url, {"post": "yes"}).status_code == 302

    assert not Event.objects.filter(pk=citation.event.pk).exists()
    assert not Citation.objects.filter(pk=citation.pk).exists()


def test_a_curator_cannot_delete_their_own_event_once_it_was_published(curator_client, curator):
    event = EventFactory(created_by=curator, first_published_at=timezone.now())
    response = curator_client.post(
        admin_url(Event, "delete", event.pk), {"post": "yes"}, follow=True
    )
    assert "has been published: it is never deleted" in response.content.decode()
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_curator_cannot_delete_actors_or_sources_someone_else_created(curator_client):
    actor, source = ActorFactory(), SourceFactory()
    for obj in (actor, source):
        url = admin_url(type(obj), "delete", obj.pk)
        response = curator_client.post(url, {"post": "yes"}, follow=True)
        assert "Curators delete only the" in response.content.decode()
    assert Actor.objects.filter(pk=actor.pk).exists()
    assert Source.objects.filter(pk=source.pk).exists()


def test_a_curator_deletes_their_own_actor_and_source_once_nothing_uses_them(
    curator_client, curator
):
    actor, source = ActorFactory(created_by=curator), SourceFactory(created_by=curator)
    for obj in (actor, source):
        response = curator_client.post(admin_url(type(obj), "delete", obj.pk), {"post": "yes"})
        assert response.status_code == 302
    assert not Actor.objects.filter(pk=actor.pk).exists()
    assert not Source.objects.filter(pk=source.pk).exists()


def test_a_curator_cannot_delete_their_own_actor_or_source_while_in_use(curator_client, curator):
    participation = ParticipationFactory(actor=ActorFactory(created_by=curator))
    citation = CitationFactory(source=SourceFactory(created_by=curator))
    for obj in (participation.actor, citation.source):
        response = curator_client.post(admin_url(type(obj), "delete", obj.pk), {"post": "yes"})
        assert response.status_code == 200
        assert response.context["protected"]  # Django names each use instead of deleting
    assert Actor.objects.filter(pk=participation.actor.pk).exists()
    assert Source.objects.filter(pk=citation.source.pk).exists()


def test_a_curator_bulk_deletes_only_their_own_drafts(curator_client, curator):
    mine, theirs = EventFactory(created_by=curator), EventFactory()
    response = run_action(curator_client, "delete_selected", [mine, theirs], post="yes")
    assert any("Nothing was deleted" in m for m in messages_of(response))
    assert Event.objects.count() == 2
    run_action(curator_client, "delete_selected", [mine], post="yes")
    assert list(Event.objects.all()) == [theirs]
