"""Freshness: every domain model moves the stamps (derived, not listed), and the public stamp
moves only with what anonymous readers can see."""

import pytest
from django.urls import reverse

from events.choices import EventStatus, TimelineStatus
from events.models import (
    Actor,
    AidMeasure,
    Citation,
    CountryVote,
    Event,
    EventRelation,
    Participation,
    Timeline,
    TimelineEntry,
    VoteRecord,
)
from events.services import event_publish, event_unpublish
from events.signals import stamped_models
from tests.events.test_admin import FACTORIES, admin_url, post_form
from tests.factories import (
    AidMeasureFactory,
    CitationFactory,
    CountryVoteFactory,
    EventFactory,
    EventRelationFactory,
    ParticipationFactory,
    PublishedEventFactory,
    SourceFactory,
    StateFactory,
    TimelineEntryFactory,
    TimelineFactory,
    VoteRecordFactory,
    event_type,
)

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


def un_vote(**kwargs) -> Event:
    return PublishedEventFactory(event_type=event_type("un-vote"), **kwargs)


# Public instances of the models whose factories make drafts; any other model (a new one
# included) is made by the admin tests' factory, which that file requires for every model.
PUBLIC = {
    Event: PublishedEventFactory,
    # Readers see an actor once a public event shows it (ActorQuerySet.public).
    Actor: lambda: ParticipationFactory(event=PublishedEventFactory()).actor,
    Participation: lambda: ParticipationFactory(event=PublishedEventFactory()),
    Citation: lambda: CitationFactory(event=PublishedEventFactory()),
    AidMeasure: lambda: AidMeasureFactory(
        event=PublishedEventFactory(event_type=event_type("aid-suspension"))
    ),
    VoteRecord: lambda: VoteRecordFactory(event=un_vote()),
    CountryVote: lambda: CountryVoteFactory(vote_record=VoteRecordFactory(event=un_vote())),
    EventRelation: lambda: EventRelationFactory(
        from_event=PublishedEventFactory(), to_event=PublishedEventFactory()
    ),
}
# Where a reader sees each model; the events list for the rest (its tag covers all data).
PUBLIC_URL = {
    Actor: lambda actor: f"/api/v1/actors/{actor.slug}/",
    Timeline: lambda timeline: reverse("embeds:timeline", args=[timeline.slug]),
    TimelineEntry: lambda entry: reverse("embeds:timeline", args=[entry.timeline.slug]),
    Event: lambda event: f"{EVENTS}{event.slug}/",
    Participation: lambda part: reverse("embeds:event", args=[part.event.slug]),
    Citation: lambda part: reverse("embeds:event", args=[part.event.slug]),
    VoteRecord: lambda record: f"/api/v1/votes/{record.pk}/",
}


def public_validators(client, url: str) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response["ETag"], response["Last-Modified"]


@pytest.mark.parametrize("model", stamped_models(), ids=lambda model: model.__name__)
def test_editing_any_model_in_its_admin_changes_the_public_etag_of_where_it_is_read(
    client, editor_client, model
):
    obj = (PUBLIC.get(model) or FACTORIES[model])()
    url = PUBLIC_URL.get(model, lambda obj: EVENTS)(obj)
    before = public_validators(client, url)[0]

    response = post_form(editor_client, admin_url(model, "change", obj.pk))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert public_validators(client, url)[0] != before


def test_the_registry_is_every_domain_model_but_the_logs_of_changes_and_the_history():
    names = {model.__name__ for model in stamped_models()}
    assert {"Event", "Citation", "TimelineEntry", "CountryVote", "EventType"} <= names
    assert "ChangeStamp" not in names
    assert "PublicChange" not in names  # written by changes: stamping it would stamp twice
    assert not any(name.startswith("Historical") for name in names)


def test_a_timeline_query_change_moves_the_public_stamp(client):
    timeline = TimelineFactory(kind="saved_query")
    url = reverse("embeds:timeline", args=[timeline.slug])
    before = public_validators(client, url)[0]
    timeline.query_actors.add(StateFactory())
    assert public_validators(client, url)[0] != before


# --- two stamps ------------------------------------------------------------------------------


@pytest.fixture
def world():
    """A public event on a published curated timeline, and a draft with every kind of part."""
    published = PublishedEventFactory(title="Public")
    timeline = TimelineFactory(title="Public timeline")
    TimelineEntryFactory(timeline=timeline, event=published)
    draft = EventFactory(title="Draft", event_type=event_type("un-vote"))
    return {
        "published": published,
        "timeline": timeline,
        "draft": draft,
        "source": SourceFactory(),
        "state": StateFactory(),
        "other_state": StateFactory(),
        "record": VoteRecordFactory(event=draft),
        "draft_timeline": TimelineFactory(status=TimelineStatus.DRAFT),
    }


def public_urls(world) -> list[str]:
    return [
        EVENTS,
        "/api/v1/timeline/",
        f"{EVENTS}{world['published'].slug}/",
        reverse("embeds:timeline", args=[world["timeline"].slug]),
        reverse("embeds:embed_timeline", args=[world["timeline"].slug]),
        reverse("embeds:embed_query") + "?theme=dark",
    ]


def snapshot(client, world) -> dict:
    return {url: public_validators(client, url) for url in public_urls(world)}


DRAFT_CHANGES = {
    "draft edited": lambda w: _save(w["draft"], title="Draft, edited"),
    "participation": lambda w: ParticipationFactory(event=w["draft"], actor=w["state"]),
    "citation": lambda w: CitationFactory(event=w["draft"], source=w["source"]),
    "aid measure": lambda w: AidMeasureFactory(
        event=w["draft"], donor=w["state"], recipient=w["other_state"]
    ),
    "vote record": lambda w: _save(w["record"], title="Changed"),
    "country vote": lambda w: CountryVoteFactory(vote_record=w["record"], actor=w["state"]),
    "relation to a public event": lambda w: EventRelationFactory(
        from_event=w["draft"], to_event=w["published"]
    ),
    "draft timeline": lambda w: _save(w["draft_timeline"], title="Still a draft"),
    "draft timeline entry": lambda w: TimelineEntryFactory(
        timeline=w["draft_timeline"], event=w["published"]
    ),
    "draft deleted": lambda w: w["draft"].delete(),
}


def _save(obj, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()


@pytest.mark.parametrize("change", DRAFT_CHANGES.values(), ids=DRAFT_CHANGES.keys())
def test_a_draft_change_leaves_every_public_etag_and_last_modified_alone(
    client, editor_client, world, change
):
    public = snapshot(client, world)
    staff = public_validators(editor_client, EVENTS)[0]

    change(world)

    assert snapshot(client, world) == public
    assert public_validators(editor_client, EVENTS)[0] != staff


def test_staff_and_readers_get_different_etags_for_the_same_url(client, editor_client, world):
    assert public_validators(client, EVENTS)[0] != public_validators(editor_client, EVENTS)[0]


def test_publishing_a_draft_changes_the_public_and_the_staff_etags(
    client, editor_client, editor, world
):
    CitationFactory(event=world["draft"], source=world["source"])
    public = snapshot(client, world)
    staff = public_validators(editor_client, EVENTS)[0]

    event_publish(event=Event.objects.get(pk=world["draft"].pk), user=editor)

    after = snapshot(client, world)
    assert all(after[url][0] != public[url][0] for url in public_urls(world))
    assert public_validators(editor_client, EVENTS)[0] != staff


def test_unpublishing_changes_the_public_etag(client, editor, world):
    before = public_validators(client, EVENTS)[0]
    event_unpublish(event=world["published"], user=editor)
    assert world["published"].status == EventStatus.DRAFT
    assert public_validators(client, EVENTS)[0] != before


def test_publishing_a_timeline_changes_the_public_etag(client, world):
    before = public_validators(client, EVENTS)[0]
    _save(world["draft_timeline"], status=TimelineStatus.PUBLISHED)
    assert public_validators(client, EVENTS)[0] != before


def test_an_edit_of_a_public_event_changes_the_public_etag(client, world):
    before = snapshot(client, world)
    _save(world["published"], title="Public, edited")
    after = snapshot(client, world)
    assert all(after[url][0] != before[url][0] for url in public_urls(world))
