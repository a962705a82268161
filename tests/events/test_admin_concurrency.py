"""Two people edit the same aggregate in the admin: the second to save inline rows (or a part's
own page) after the first saved is refused with a message, never saved over the first."""

import pytest
from django.apps import apps

from events.choices import VoteOption
from events.models import (
    Actor,
    Citation,
    CountryVote,
    Event,
    EventType,
    Participation,
    Role,
    Timeline,
    TimelineEntry,
    VoteRecord,
)
from events.models.base import AGGREGATE_ROOTS, VersionedModel, root_path
from events.signals import stamped_models
from tests.events.api.resource_helpers import if_match
from tests.events.test_admin import admin_url, form_values
from tests.factories import (
    CitationFactory,
    CountryVoteFactory,
    EventFactory,
    ParticipationFactory,
    PersonFactory,
    RoleFactory,
    TimelineEntryFactory,
    TimelineFactory,
    VoteRecordFactory,
)

pytestmark = pytest.mark.django_db

CONFLICT = "Someone else changed this"


def refused(response) -> bool:
    return response.status_code == 200 and CONFLICT in response.content.decode()


def test_the_second_editor_saving_changed_inline_rows_after_the_first_is_refused(
    editor_client, curator_client
):
    event = EventFactory()
    citation = CitationFactory(event=event, quote="Original")
    participation = ParticipationFactory(event=event, note="Original")
    url = admin_url(Event, "change", event.pk)
    first, second = form_values(editor_client.get(url)), form_values(curator_client.get(url))

    first["citations-0-quote"] = ["First editor's quote"]
    assert editor_client.post(url, first).status_code == 302

    second["participations-0-note"] = ["Second editor's note"]
    second["citations-0-quote"] = ["Second editor's quote"]
    assert refused(curator_client.post(url, second))

    assert Citation.objects.get(pk=citation.pk).quote == "First editor's quote"
    assert Participation.objects.get(pk=participation.pk).note == "Original"


def test_an_event_page_opened_before_a_citation_changed_through_the_api_is_refused(
    editor_client,
):
    event = EventFactory()
    citation = CitationFactory(event=event, quote="Original")
    url = admin_url(Event, "change", event.pk)
    page = form_values(editor_client.get(url))

    response = editor_client.patch(
        f"/api/v1/citations/{citation.pk}/",
        {"quote": "Through the API"},
        content_type="application/json",
        **if_match(citation),
    )
    assert response.status_code == 200, response.content

    page["citations-0-quote"] = ["From the stale page"]
    assert refused(editor_client.post(url, page))
    assert Citation.objects.get(pk=citation.pk).quote == "Through the API"


# The other aggregates with inline rows: the root's page, an inline field, the row's model.
AGGREGATES = {
    "vote roll": (
        lambda: CountryVoteFactory(option=VoteOption.YES, vote_record=VoteRecordFactory()),
        lambda vote: admin_url(VoteRecord, "change", vote.vote_record_id),
        "country_votes-0-option",
        (VoteOption.NO, VoteOption.ABSTAIN),
        lambda vote: CountryVote.objects.get(pk=vote.pk).option,
    ),
    "timeline entries": (
        lambda: TimelineEntryFactory(timeline=TimelineFactory(), caption="Original"),
        lambda entry: admin_url(Timeline, "change", entry.timeline_id),
        "entries-0-caption",
        ("First", "Second"),
        lambda entry: TimelineEntry.objects.get(pk=entry.pk).caption,
    ),
    "a person's posts": (
        lambda: RoleFactory(person=PersonFactory(), title="Original"),
        lambda role: admin_url(Actor, "change", role.person_id),
        "roles-0-title",
        ("First", "Second"),
        lambda role: Role.objects.get(pk=role.pk).title,
    ),
}


@pytest.mark.parametrize("aggregate", AGGREGATES)
def test_stale_inline_rows_of_every_aggregate_are_refused(editor_client, curator_client, aggregate):
    make, page_url, field, (first_value, second_value), stored = AGGREGATES[aggregate]
    row = make()
    url = page_url(row)
    first, second = form_values(editor_client.get(url)), form_values(curator_client.get(url))

    first[field] = [first_value]
    response = editor_client.post(url, first)
    assert response.status_code == 302, response.content.decode()[:3000]

    second[field] = [second_value]
    assert refused(curator_client.post(url, second))
    assert stored(row) == first_value


def test_a_parts_own_page_opened_before_its_event_changed_is_refused(editor_client):
    citation = CitationFactory(quote="Original")
    url = admin_url(Citation, "change", citation.pk)
    page = form_values(editor_client.get(url))

    event_url = admin_url(Event, "change", citation.event_id)
    event_page = form_values(editor_client.get(event_url))
    event_page["title"] = ["Renamed meanwhile"]
    assert editor_client.post(event_url, event_page).status_code == 302

    page["quote"] = ["From the stale page"]
    response = editor_client.post(url, page)
    assert refused(response)
    assert admin_url(Event, "history", citation.event_id) in response.content.decode()
    assert Citation.objects.get(pk=citation.pk).quote == "Original"


def test_every_domain_model_is_versioned_or_names_the_root_that_versions_it():
    """A new model either has a version or joins an aggregate, or its edits go unguarded."""
    unguarded = {
        model.__name__
        for model in stamped_models()
        if root_path(model) is None and model is not EventType  # a taxonomy, edited alone
    }
    assert not unguarded
    for label, path in AGGREGATE_ROOTS.items():
        model = apps.get_model(label)
        for name in path:
            model = model._meta.get_field(name).related_model
        assert issubclass(model, VersionedModel), label
