"""Fixtures the dataset export's tests share (the JSONL file, the API endpoint, the formats)."""

import datetime as dt
from decimal import Decimal

import pytest

from events.choices import ActorKind, EventStatus, TimelineStatus, VoteOption
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
    event_type,
)


@pytest.fixture
def export_dataset(db):
    """Public and draft rows side by side; slugs whose byte order differs from a locale's."""
    un = ActorFactory(slug="un", name="United Nations")
    assembly = ActorFactory(
        slug="un-ga", name="General Assembly", kind=ActorKind.ORGAN, parent=un, voting_members=193
    )
    alpha = StateFactory(slug="alpha", name="Alphaland", iso3="ALP")
    beta = StateFactory(slug="a-beta", name="Betaland", iso3="BET")
    person = PersonFactory(slug="Zed-person", name="Zed", aliases="Z\nZee")
    RoleFactory(person=person, organisation=alpha, title="Foreign minister")
    secret = StateFactory(slug="secret-state", name="Secret draft state")

    summit = PublishedEventFactory(
        slug="summit", title="Summit", location_country=beta, event_type=event_type("summit")
    )
    ParticipationFactory(event=summit, actor=person, role="initiator", note="hosted")
    ParticipationFactory(event=summit, actor=alpha)
    keyless = SourceFactory(url=None, title="Print article", publisher="Gazette")
    referenced = SourceFactory(url=None, reference="archive/1", title="Archived")
    CitationFactory(event=summit, source=keyless, locator="p. 2", stance="context")
    CitationFactory(event=summit, source=referenced, locator="")

    vote = VoteRecordFactory(
        event__status=EventStatus.PUBLISHED,
        event__published_at=dt.datetime(2025, 3, 4, 12, 0, tzinfo=dt.UTC),
        event__slug="a-vote",
        body=assembly,
        yes_count=1,
        no_count=1,
        result="rejected",
        roll_complete=True,
        non_voting_count=0,
    )
    CitationFactory(event=vote.event)
    CountryVoteFactory(vote_record=vote, actor=alpha, option=VoteOption.YES)
    CountryVoteFactory(vote_record=vote, actor=beta, option=VoteOption.NO)

    aid = AidMeasureFactory(
        event__status=EventStatus.RETRACTED,
        event__retraction_reason="Wrong.",
        event__published_at=None,
        event__first_published_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        event__slug="aid-pause",
        donor=alpha,
        recipient=beta,
        amount=Decimal("1000000.50"),
        currency="USD",
    )
    CitationFactory(event=aid.event)

    draft = EventFactory(slug="draft-plan", title="Secret draft plan", location_country=secret)
    ParticipationFactory(event=draft, actor=secret)
    CitationFactory(event=draft, source=SourceFactory(url="https://draft.example.org/leak"))
    EventRelationFactory(from_event=summit, to_event=draft, kind="follows")
    EventRelationFactory(from_event=summit, to_event=vote.event, kind="responds_to")
    EventRelationFactory(from_event=vote.event, to_event=summit, kind="follows")

    public_timeline = TimelineFactory(slug="tl-public", kind="curated")
    TimelineEntryFactory(timeline=public_timeline, event=summit, position=2, caption="Two")
    TimelineEntryFactory(timeline=public_timeline, event=draft, position=1)
    draft_timeline = TimelineFactory(slug="tl-draft", status=TimelineStatus.DRAFT)
    TimelineEntryFactory(timeline=draft_timeline, event=summit)
    return {"summit": summit, "draft": draft, "keyless": keyless}
