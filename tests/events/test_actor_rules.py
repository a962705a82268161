"""ActorQuerySet.public() and resolve(): the one visibility rule and the one resolver."""

import pytest

from events.authorship import stamp_author
from events.choices import ActorKind, EventStatus
from events.models import Actor
from tests.factories import (
    ActorFactory,
    CountryVoteFactory,
    EventFactory,
    ParticipationFactory,
    PersonFactory,
    PublishedEventFactory,
    RoleFactory,
    StateFactory,
    UserFactory,
    VoteRecordFactory,
    event_type,
)

pytestmark = pytest.mark.django_db


def public_slugs() -> set[str]:
    return set(Actor.objects.public().values_list("slug", flat=True))


def test_an_actor_is_public_through_a_public_event_and_never_through_a_draft():
    ParticipationFactory(event=PublishedEventFactory(), actor=ActorFactory(slug="shown"))
    ParticipationFactory(
        event=PublishedEventFactory(status=EventStatus.RETRACTED, retraction_reason="Wrong."),
        actor=ActorFactory(slug="retracted-but-shown"),
    )
    ParticipationFactory(event=EventFactory(), actor=ActorFactory(slug="draft-only"))
    ActorFactory(slug="nowhere")
    assert public_slugs() == {"shown", "retracted-but-shown"}


def test_votes_count_only_in_published_events():
    CountryVoteFactory(
        vote_record=VoteRecordFactory(
            event=PublishedEventFactory(event_type=event_type("un-vote"))
        ),
        actor=StateFactory(slug="voted"),
    )
    CountryVoteFactory(actor=StateFactory(slug="voted-in-a-draft"))
    assert {"voted"} <= public_slugs()
    assert "voted-in-a-draft" not in public_slugs()


def test_the_organisations_of_a_public_persons_posts_and_of_a_public_organ_are_public():
    person = PersonFactory(slug="envoy")
    RoleFactory(person=person, organisation=StateFactory(slug="employer"))
    un = ActorFactory(slug="united-nations")
    organ = ActorFactory(slug="assembly", kind=ActorKind.ORGAN, parent=un)
    event = PublishedEventFactory()
    ParticipationFactory(event=event, actor=person)
    ParticipationFactory(event=event, actor=organ)
    RoleFactory(person=PersonFactory(slug="draft-person"), organisation=un)
    assert public_slugs() == {"envoy", "employer", "assembly", "united-nations"}


def test_resolve_takes_slugs_iso_codes_and_wikidata_ids_in_any_case():
    usa = StateFactory(slug="united-states", iso3="USA", wikidata_id="Q30")
    found = Actor.objects.resolve("united-states", "usa", "USA", "q30", " Q30 ", "atlantis")
    assert found == {
        "united-states": usa,
        "usa": usa,
        "USA": usa,
        "q30": usa,
        " Q30 ": usa,
    }


def test_a_slug_wins_over_another_actors_iso_code():
    slug_owner = ActorFactory(slug="usa")
    StateFactory(slug="united-states", iso3="USA")
    assert Actor.objects.resolve("usa", "USA") == {"usa": slug_owner, "USA": slug_owner}


def test_resolve_keeps_the_querysets_visibility():
    hidden = ActorFactory(slug="hidden")
    assert Actor.objects.resolve("hidden") == {"hidden": hidden}
    assert Actor.objects.public().resolve("hidden") == {}


def test_the_authorship_stamp_records_the_user_or_nobody():
    user = UserFactory()
    actor = Actor(name="New", slug="new", kind=ActorKind.OTHER)
    stamp_author(actor, user)
    assert (actor.created_by, actor.updated_by) == (user, user)

    stamp_author(actor, None)
    assert actor.updated_by is None


def test_resolve_with_names_also_takes_names_short_names_and_aliases_in_any_case():
    russia = StateFactory(name="Russian Federation", short_name="Russia", slug="ru", iso3="RUS")
    zelensky = PersonFactory(name="Volodymyr Zelensky", slug="zelensky", aliases="Zelenskyy")
    found = Actor.objects.resolve(
        "russian federation", "Russia", "ZELENSKYY", "ru", "Atlantis", names=True
    )
    assert found == {
        "russian federation": russia,
        "Russia": russia,
        "ZELENSKYY": zelensky,
        "ru": russia,
    }
    assert Actor.objects.resolve("Russia") == {}  # names only when asked


def test_resolve_with_names_prefers_a_slug_to_someone_elses_name():
    StateFactory(name="Georgia", slug="georgia-state", iso3="GEO")
    slugged = ActorFactory(name="Georgia (US state)", slug="georgia")
    assert Actor.objects.resolve("georgia", names=True) == {"georgia": slugged}
    assert Actor.objects.resolve("Georgia", names=True) == {"Georgia": slugged}
