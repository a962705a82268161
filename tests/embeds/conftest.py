"""A small published world for the pages and embeds: a curated timeline with events of every
date precision, a retracted event, a draft, a hostile title and a recorded UN vote."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from events.choices import ActorKind, DatePrecision, EventStatus, ParticipantRole, Verification
from events.models import Actor, Event, Timeline
from tests.factories import (
    ActorFactory,
    CitationFactory,
    CountryVoteFactory,
    EventFactory,
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

XSS_TITLE = "<img src=x onerror=alert(1)>"


@dataclass
class World:
    timeline: Timeline
    usa: Actor
    rus: Actor
    person: Actor
    talks: Event  # 18 Feb 2025, day precision, confirmed
    statement: Event  # Feb 2025, month precision, reported
    approximate: Event  # c. 2025, year precision
    retracted: Event
    draft: Event
    hostile: Event
    vote: Event


def build_world() -> World:
    usa = StateFactory(name="United States", slug="united-states", iso3="USA")
    rus = StateFactory(name="Russian Federation", short_name="Russia", slug="russia", iso3="RUS")
    person = PersonFactory(name="Marco Rubio", slug="marco-rubio")
    RoleFactory(
        person=person, organisation=usa, title="Secretary of State", start_date=dt.date(2025, 1, 21)
    )
    timeline = TimelineFactory(
        title="Signs of a shift", slug="signs-of-a-shift", description="The *signs*, with sources."
    )

    talks = PublishedEventFactory(
        title="Talks in Riyadh",
        slug="talks-in-riyadh",
        start_date=dt.date(2025, 2, 18),
        event_type=event_type("bilateral-talks"),
        summary="Delegations **meet** in Riyadh. <script>alert('summary')</script>",
    )
    statement = PublishedEventFactory(
        title="A statement on aid",
        slug="statement-on-aid",
        start_date=dt.date(2025, 2, 1),
        start_precision=DatePrecision.MONTH,
        verification=Verification.REPORTED,
    )
    approximate = PublishedEventFactory(
        title="A shift in the year",
        slug="shift-in-the-year",
        start_date=dt.date(2025, 1, 1),
        start_precision=DatePrecision.YEAR,
        start_approximate=True,
    )
    retracted = PublishedEventFactory(
        title="A withdrawn claim",
        slug="withdrawn-claim",
        start_date=dt.date(2025, 3, 3),
        status=EventStatus.RETRACTED,
        retraction_reason="The only source was misquoted.",
    )
    draft = EventFactory(title="Secret draft", slug="secret-draft", start_date=dt.date(2025, 2, 20))
    CitationFactory(event=draft)
    hostile = PublishedEventFactory(title=XSS_TITLE, slug="hostile", start_date=dt.date(2025, 3, 5))

    vote = PublishedEventFactory(
        title="The Assembly votes",
        slug="assembly-votes",
        start_date=dt.date(2025, 2, 24),
        event_type=event_type("un-vote"),
    )
    record = VoteRecordFactory(
        event=vote,
        body=ActorFactory(kind=ActorKind.ORGAN, name="General Assembly", slug="unga"),
        yes_count=93,
        no_count=18,
        abstain_count=65,
    )
    CountryVoteFactory(vote_record=record, actor=usa, option="no")
    CountryVoteFactory(vote_record=record, actor=rus, option="no")

    for event in (talks, vote):
        ParticipationFactory(event=event, actor=usa, role=ParticipantRole.PARTICIPANT)
        ParticipationFactory(event=event, actor=rus, role=ParticipantRole.PARTICIPANT)
    ParticipationFactory(event=talks, actor=person, role=ParticipantRole.PARTICIPANT)
    ParticipationFactory(event=statement, actor=usa, role=ParticipantRole.INITIATOR)
    ParticipationFactory(event=draft, actor=usa)
    for event in (approximate, statement, talks, vote, retracted, hostile, draft):
        TimelineEntryFactory(timeline=timeline, event=event)
    return World(
        timeline, usa, rus, person, talks, statement, approximate, retracted, draft, hostile, vote
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def sourced_event(db):
    """A published event with a second, URL-less source."""
    event = PublishedEventFactory(slug="sourced", published_at=timezone.now())
    CitationFactory(event=event, source=SourceFactory(url=None, reference="print:1", title="Print"))
    return event
