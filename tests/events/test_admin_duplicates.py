"""The admin warns of likely duplicates on save, and editors merge two records."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from events.models import Actor, Event, Participation, SlugRedirect
from tests.events.test_admin import admin_url, messages_of, post_form
from tests.factories import (
    ActorFactory,
    EventFactory,
    ParticipationFactory,
    PublishedEventFactory,
    StateFactory,
    event_type,
)

pytestmark = pytest.mark.django_db


def _published_talks():
    russia = StateFactory(name="Russia")
    talks = PublishedEventFactory(
        title="US and Russia hold talks in Riyadh",
        slug="riyadh-talks",
        start_date=dt.date(2025, 2, 18),
        event_type=event_type("bilateral-talks"),
    )
    ParticipationFactory(event=talks, actor=russia)
    return talks, russia


def _add_event(client, actor, **extra):
    return post_form(
        client,
        admin_url(Event, "add"),
        title="US and Russia hold talks in Riyadh",
        slug="riyadh-talks-again",
        event_type=event_type("bilateral-talks").pk,
        date="18 Feb 2025",
        **{"participations-0-actor": actor.pk},
        **extra,
    )


def test_the_same_title_date_and_actor_as_a_published_event_is_not_saved_silently(
    curator_client,
):
    talks, russia = _published_talks()

    response = _add_event(curator_client, russia)

    assert response.status_code == 200
    page = response.content.decode()
    assert "This may be a duplicate of" in page
    assert admin_url(Event, "change", talks.pk) in page
    assert 'type="checkbox" name="confirm_duplicate"' in page
    assert not Event.objects.filter(slug="riyadh-talks-again").exists()


def test_i_checked_saves_anyway_and_still_says_what_it_resembles(curator_client):
    talks, russia = _published_talks()

    response = _add_event(curator_client, russia, confirm_duplicate="on")

    assert response.status_code == 302
    assert Event.objects.filter(slug="riyadh-talks-again").exists()
    shown = messages_of(curator_client.get(response["Location"]))
    assert any("resembles" in message and talks.title in message for message in shown)


def test_a_possible_duplicate_is_shown_after_the_save_without_stopping_it(curator_client):
    _talks, russia = _published_talks()

    response = post_form(
        curator_client,
        admin_url(Event, "add"),
        title="Russia statement on Riyadh",
        slug="statement-on-riyadh",
        event_type=event_type("statement").pk,
        date="18 Feb 2025",
        **{"participations-0-actor": russia.pk},
    )

    assert response.status_code == 302
    shown = messages_of(curator_client.get(response["Location"]))
    assert any("resembles" in message for message in shown)


def test_editing_what_does_not_identify_an_event_is_not_checked_again(curator_client):
    talks, _russia = _published_talks()
    twin = EventFactory(title=talks.title, start_date=talks.start_date)

    response = post_form(curator_client, admin_url(Event, "change", twin.pk), summary="More.")

    assert response.status_code == 302


def test_a_second_european_union_needs_a_confirmation(curator_client):
    eu = ActorFactory(name="European Union", short_name="EU")

    refused = post_form(
        curator_client,
        admin_url(Actor, "add"),
        name="European Union",
        slug="eu-2",
        kind="organisation",
    )
    confirmed = post_form(
        curator_client,
        admin_url(Actor, "add"),
        name="European Union",
        slug="eu-2",
        kind="organisation",
        confirm_duplicate="on",
    )

    assert refused.status_code == 200
    assert admin_url(Actor, "change", eu.pk) in refused.content.decode()
    assert confirmed.status_code == 302


def _merge(client, model, records, **extra):
    data = {
        "action": "merge_duplicates",
        ACTION_CHECKBOX_NAME: [record.pk for record in records],
        "index": 0,
        **extra,
    }
    return client.post(admin_url(model, "changelist"), data)


def test_an_editor_merges_two_actors_after_choosing_the_one_to_keep(editor_client):
    kept = ActorFactory(name="European Union", slug="european-union")
    second = ActorFactory(name="European Union", slug="european-union-2")
    ParticipationFactory(actor=second)

    page = _merge(editor_client, Actor, [kept, second])
    done = _merge(editor_client, Actor, [kept, second], apply="yes", keep=kept.pk)

    assert page.status_code == 200
    assert "1 participations (actor)" in page.content.decode()
    assert done.status_code == 302 and done["Location"] == admin_url(Actor, "change", kept.pk)
    assert not Actor.objects.filter(pk=second.pk).exists()
    assert Participation.objects.get().actor == kept
    assert SlugRedirect.objects.get().old_slug == "european-union-2"


def test_curators_are_not_offered_the_merge(curator_client):
    first, second = ActorFactory(), ActorFactory()

    listing = curator_client.get(admin_url(Actor, "changelist"))
    forced = _merge(curator_client, Actor, [first, second], apply="yes", keep=first.pk)

    assert "merge_duplicates" not in listing.content.decode()
    assert Actor.objects.filter(pk=second.pk).exists()
    assert forced.status_code in (200, 302)


def test_the_history_of_a_merged_away_record_stays_reachable(editor_client, editor):
    from events import revisions
    from events.merging import merge

    with revisions.recorded(editor, "created"):
        kept, second = ActorFactory(name="EU"), ActorFactory(name="European Union")
    merge(keep=kept, remove=second, user=editor)

    response = editor_client.get(admin_url(Actor, "history", second.pk))

    assert response.status_code == 200
    page = response.content.decode()
    assert "created" in page
    assert admin_url(Actor, "change", kept.pk) in page


def test_a_merge_the_rules_refuse_is_an_error_message_and_changes_nothing(editor_client):
    state, organisation = StateFactory(), ActorFactory()

    response = _merge(editor_client, Actor, [state, organisation], apply="yes", keep=state.pk)

    shown = messages_of(editor_client.get(admin_url(Actor, "changelist")))
    assert response.status_code == 302
    assert any(message.startswith("Not merged:") for message in shown)
    assert Actor.objects.filter(pk=organisation.pk).exists()


def test_an_editor_merges_two_events_from_the_event_list(editor_client):
    kept = PublishedEventFactory(slug="kept")
    draft = EventFactory(slug="duplicate-draft")

    _merge(editor_client, Event, [kept, draft], apply="yes", keep=kept.pk)

    assert not Event.objects.filter(pk=draft.pk).exists()
    assert editor_client.get("/events/duplicate-draft/")["Location"] == "/events/kept/"
