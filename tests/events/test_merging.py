"""Merging duplicate actors, sources and events (events.merging)."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from reversion.models import Version

from events import revisions
from events.choices import ActorKind, EventStatus, ParticipantRole, VoteOption
from events.merging import MergeError, merge, references
from events.models import (
    Actor,
    AidMeasure,
    Citation,
    CountryVote,
    Event,
    EventRelation,
    PublicChange,
    Role,
    SlugRedirect,
    Source,
    TimelineEntry,
)
from tests.factories import (
    ActorFactory,
    AidMeasureFactory,
    CitationFactory,
    CountryVoteFactory,
    EventFactory,
    EventRelationFactory,
    ParticipationFactory,
    PersonFactory,
    PublishedEventFactory,
    RoleFactory,
    SourceFactory,
    StateFactory,
    TimelineEntryFactory,
    TimelineFactory,
    VoteRecordFactory,
)

pytestmark = pytest.mark.django_db


def _two_european_unions():
    kept = ActorFactory(name="European Union", slug="european-union", short_name="EU")
    second = ActorFactory(
        name="European Union",
        slug="european-union-2",
        aliases="Brussels\nUnion européenne",
        wikidata_id="Q458",
        description="The EU.",
    )
    return kept, second


def test_every_foreign_key_to_a_mergeable_model_is_moved():
    """Found from the models' metadata: a foreign key added later is moved without a list."""
    for model in (Actor, Source, Event):
        pointing = {
            (field.model, field.name)
            for other in apps.get_models(include_auto_created=True)
            for field in other._meta.concrete_fields
            if field.is_relation and field.related_model is model and other is not PublicChange
        }
        assert {(field.model, field.name) for field in references(model)} == pointing
    assert ("imports.externalid", "event") in {
        (field.model._meta.label_lower, field.name) for field in references(Event)
    }


def test_merging_two_european_unions_moves_everything_and_combines_the_collision(editor):
    kept, second = _two_european_unions()
    summit, talks, shared = EventFactory(), EventFactory(), EventFactory()
    ParticipationFactory(event=summit, actor=kept)
    ParticipationFactory(event=talks, actor=second, note="As mediator")
    ParticipationFactory(event=shared, actor=kept)
    ParticipationFactory(event=shared, actor=second, note="Represented by Kallas")
    ParticipationFactory(event=shared, actor=second, role=ParticipantRole.TARGET)
    post = RoleFactory(organisation=second, person=PersonFactory(name="Kaja Kallas"))
    aid = AidMeasureFactory(donor=second)
    organ = ActorFactory(name="European Council", kind=ActorKind.ORGAN, parent=second)
    timeline = TimelineFactory(kind="saved_query")
    timeline.query_actors.add(second)

    report = merge(keep=kept, remove=second, user=editor)

    assert not Actor.objects.filter(pk=second.pk).exists()
    assert set(talks.participations.values_list("actor_id", "note")) == {(kept.pk, "As mediator")}
    # The same actor in the same role twice on one event: one row, the note kept.
    assert sorted(shared.participations.values_list("actor_id", "role", "note")) == sorted(
        [
            (kept.pk, ParticipantRole.PARTICIPANT, "Represented by Kallas"),
            (kept.pk, ParticipantRole.TARGET, ""),
        ]
    )
    assert Role.objects.get(pk=post.pk).organisation == kept
    assert AidMeasure.objects.get(pk=aid.pk).donor == kept
    assert Actor.objects.get(pk=organ.pk).parent == kept
    assert list(timeline.query_actors.all()) == [kept]
    kept.refresh_from_db()
    assert kept.wikidata_id == "Q458" and kept.description == "The EU."
    assert kept.alias_list == ["Brussels", "Union européenne"]  # its own name is not repeated
    assert report.merged_rows and "participations (actor)" in report.moved
    # Search finds the events by the kept actor's names.
    assert "Union européenne" in Event.objects.get(pk=talks.pk).search_actors


def test_the_same_countrys_vote_twice_on_one_record_is_combined_or_refused(editor):
    russia, russia_again = StateFactory(name="Russia"), StateFactory(name="Russia")
    agreeing = VoteRecordFactory()
    CountryVoteFactory(vote_record=agreeing, actor=russia, option=VoteOption.NO)
    CountryVoteFactory(vote_record=agreeing, actor=russia_again, option=VoteOption.NO)
    other = CountryVoteFactory(actor=russia_again, option=VoteOption.YES)

    merge(keep=russia, remove=russia_again, user=editor)

    assert list(agreeing.country_votes.values_list("actor_id", "option")) == [
        (russia.pk, VoteOption.NO)
    ]
    assert CountryVote.objects.get(pk=other.pk).actor == russia

    twin = StateFactory(name="Russia")
    disagreeing = VoteRecordFactory()
    CountryVoteFactory(vote_record=disagreeing, actor=russia, option=VoteOption.NO)
    CountryVoteFactory(vote_record=disagreeing, actor=twin, option=VoteOption.YES)
    with pytest.raises(MergeError, match="disagree on option"):
        merge(keep=russia, remove=twin, user=editor)
    assert Actor.objects.filter(pk=twin.pk).exists()  # nothing half-done
    assert disagreeing.country_votes.count() == 2


def test_aid_from_a_state_to_its_own_duplicate_stops_the_merge(editor):
    usa, usa_again = StateFactory(name="United States"), StateFactory(name="United States")
    AidMeasureFactory(donor=usa, recipient=usa_again)

    with pytest.raises(MergeError, match="twice"):
        merge(keep=usa, remove=usa_again, user=editor)
    assert Actor.objects.filter(pk=usa_again.pk).exists()


def test_actors_of_different_kinds_are_not_merged(editor):
    with pytest.raises(MergeError, match="same kind"):
        merge(keep=StateFactory(), remove=ActorFactory(), user=editor)


def test_curators_cannot_merge(curator):
    kept, second = _two_european_unions()

    with pytest.raises(PermissionDenied):
        merge(keep=kept, remove=second, user=curator)
    assert Actor.objects.filter(pk=second.pk).exists()


def test_both_histories_are_kept_with_the_reason_and_the_user(editor):
    with revisions.recorded(editor, "created"):
        kept, second = _two_european_unions()
        event = EventFactory()
        ParticipationFactory(event=event, actor=second)
    old_versions = Version.objects.get_for_object_reference(Actor, second.pk).count()

    merge(keep=kept, remove=second, user=editor)

    reason = f"Merged actor “European Union” (#{second.pk}) into “European Union” (#{kept.pk})"
    event_history = revisions.history(event)
    assert event_history[0].revision.comment == reason
    assert event_history[0].revision.user == editor
    assert revisions.history(kept)[0].revision.comment == reason
    # The merged-away record's history stays under its id.
    assert Version.objects.get_for_object_reference(Actor, second.pk).count() == old_versions > 0
    redirect = SlugRedirect.objects.get(old_slug="european-union-2")
    assert (redirect.old_id, redirect.target_id, redirect.merged_by) == (second.pk, kept.pk, editor)


def test_merging_sources_moves_citations_and_fills_the_address(editor):
    kept = SourceFactory(url=None, reference="print-1", title="Reuters, 18 Feb")
    second = SourceFactory(url="https://www.reuters.com/world/talks", title="Reuters talks")
    event = PublishedEventFactory(citation__source=kept, citation__locator="para 2")
    CitationFactory(event=event, source=second, locator="para 2")
    other = CitationFactory(source=second)

    merge(keep=kept, remove=second, user=editor)

    assert not Source.objects.filter(pk=second.pk).exists()
    assert event.citations.count() == 1
    assert Citation.objects.get(pk=other.pk).source == kept
    kept.refresh_from_db()
    assert kept.url == "https://www.reuters.com/world/talks"


def test_merging_a_published_event_retracts_it_and_moves_its_parts(editor):
    kept = PublishedEventFactory(title="US–Russia talks in Riyadh", slug="riyadh-talks")
    second = PublishedEventFactory(title="Riyadh talks", slug="talks-in-riyadh", summary="")
    russia = StateFactory()
    ParticipationFactory(event=second, actor=russia)
    entry = TimelineEntryFactory(event=second)
    TimelineEntryFactory(timeline=entry.timeline, event=kept)
    EventRelationFactory(from_event=second, to_event=kept, kind="follows")
    later = EventRelationFactory(from_event=EventFactory(), to_event=second, kind="follows")

    report = merge(keep=kept, remove=second, user=editor)

    second.refresh_from_db()
    assert report.retired == "retracted"
    assert second.status == EventStatus.RETRACTED
    assert "/events/riyadh-talks/" in second.retraction_reason
    assert list(kept.participations.values_list("actor_id", flat=True)) == [russia.pk]
    assert kept.citations.count() == 2
    assert list(
        TimelineEntry.objects.filter(timeline=entry.timeline).values_list("event_id", flat=True)
    ) == [kept.pk]
    assert EventRelation.objects.get(pk=later.pk).to_event == kept
    assert not EventRelation.objects.filter(from_event=kept, to_event=kept).exists()


def test_a_draft_duplicate_is_deleted_and_a_public_one_is_not_merged_into_a_draft(editor):
    kept = PublishedEventFactory()
    draft = EventFactory()
    merge(keep=kept, remove=draft, user=editor)
    assert not Event.objects.filter(pk=draft.pk).exists()

    with pytest.raises(MergeError, match="keep the public event"):
        merge(keep=EventFactory(), remove=PublishedEventFactory(), user=editor)


def test_a_record_merged_again_takes_its_redirects_along(editor):
    first, second, third = (ActorFactory(slug=slug) for slug in ("eu", "eu-2", "eu-3"))
    merge(keep=second, remove=third, user=editor)
    merge(keep=first, remove=second, user=editor)

    assert dict(SlugRedirect.objects.values_list("old_slug", "target_id")) == {
        "eu-2": first.pk,
        "eu-3": first.pk,
    }


# --- old addresses -------------------------------------------------------------------------


def test_old_actor_addresses_redirect_permanently_in_the_api_and_the_pages(client, editor):
    kept, second = _two_european_unions()
    ParticipationFactory(event=PublishedEventFactory(), actor=kept)
    merge(keep=kept, remove=second, user=editor)

    api = client.get("/api/v1/actors/european-union-2/events/?format=json")
    page = client.get(reverse("embeds:actor", args=["european-union-2"]))

    assert api.status_code == 301
    assert api["Location"] == "/api/v1/actors/european-union/events/?format=json"
    assert page.status_code == 301 and page["Location"] == "/actors/european-union/"
    assert client.get(api["Location"]).status_code == 200
    assert client.get("/api/v1/actors/no-such-actor/").status_code == 404


def test_old_event_addresses_redirect_for_deleted_and_retracted_duplicates(client, editor):
    kept = PublishedEventFactory(slug="riyadh-talks")
    merge(keep=kept, remove=PublishedEventFactory(slug="talks-in-riyadh"), user=editor)
    merge(keep=kept, remove=EventFactory(slug="riyadh-draft"), user=editor)

    for old in ("talks-in-riyadh", "riyadh-draft"):
        api = client.get(f"/api/v1/events/{old}/")
        page = client.get(f"/events/{old}/")
        embed = client.get(f"/embed/events/{old}/?theme=dark")
        assert (api.status_code, api["Location"]) == (301, "/api/v1/events/riyadh-talks/")
        assert (page.status_code, page["Location"]) == (301, "/events/riyadh-talks/")
        assert embed["Location"] == "/embed/events/riyadh-talks/?theme=dark"
    share = client.get("/share/events/riyadh-draft.png")
    assert (share.status_code, share["Location"]) == (301, "/share/events/riyadh-talks.png")


def test_a_write_to_an_old_address_is_redirected_with_its_method_kept(editor_client, editor):
    kept, second = _two_european_unions()
    merge(keep=kept, remove=second, user=editor)

    response = editor_client.patch(
        "/api/v1/actors/european-union-2/", {"description": "x"}, content_type="application/json"
    )

    assert response.status_code == 308
    assert response["Location"] == "/api/v1/actors/european-union/"


def test_old_source_ids_redirect_in_the_api(client, editor):
    kept, second = SourceFactory(), SourceFactory()
    CitationFactory(source=kept, event=PublishedEventFactory())
    merge(keep=kept, remove=second, user=editor)

    response = client.get(f"/api/v1/sources/{second.pk}/")

    assert (response.status_code, response["Location"]) == (301, f"/api/v1/sources/{kept.pk}/")


def test_after_a_merge_the_etag_moves_and_a_stale_one_is_not_answered_304(client, editor):
    kept, second = _two_european_unions()
    ParticipationFactory(event=PublishedEventFactory(), actor=kept)
    ParticipationFactory(event=PublishedEventFactory(), actor=second)
    kept_url = "/api/v1/actors/european-union/"
    old_url = "/api/v1/actors/european-union-2/"
    kept_etag = client.get(kept_url)["ETag"]
    old_etag = client.get(old_url)["ETag"]

    merge(keep=kept, remove=second, user=editor)

    assert client.get(kept_url)["ETag"] != kept_etag
    assert client.get(kept_url, HTTP_IF_NONE_MATCH=kept_etag).status_code == 200
    assert client.get(old_url, HTTP_IF_NONE_MATCH=old_etag).status_code == 301


def test_imports_find_the_kept_actor_by_the_old_slug(editor):
    kept, second = _two_european_unions()
    merge(keep=kept, remove=second, user=editor)

    assert Actor.objects.resolve("european-union-2", names=True) == {"european-union-2": kept}
    assert Actor.objects.resolve("european-union-2") == {}  # the API answers with a redirect
