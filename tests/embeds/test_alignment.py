"""The actor page's agreement figures: published votes only, abstentions count, absences not."""

import datetime as dt

import pytest

from events.alignment import YearAgreement, agreement_by_year, vote_partners
from events.choices import EventStatus, VoteOption
from tests.factories import (
    CountryVoteFactory,
    EventFactory,
    PublishedEventFactory,
    StateFactory,
    VoteRecordFactory,
    event_type,
)

pytestmark = pytest.mark.django_db


def vote(day: dt.date, options: dict, *, status=EventStatus.PUBLISHED):
    factory = PublishedEventFactory if status == EventStatus.PUBLISHED else EventFactory
    event = factory(start_date=day, status=status, event_type=event_type("un-vote"))
    record = VoteRecordFactory(event=event)
    for state, option in options.items():
        CountryVoteFactory(vote_record=record, actor=state, option=option)


def test_agreement_counts_votes_both_cast_per_year_from_published_votes_only():
    a, b, c = StateFactory(), StateFactory(), StateFactory()
    vote(dt.date(2023, 3, 1), {a: VoteOption.YES, b: VoteOption.YES, c: VoteOption.NO})
    vote(dt.date(2023, 9, 1), {a: VoteOption.YES, b: VoteOption.ABSTAIN})
    vote(dt.date(2024, 2, 1), {a: VoteOption.NO, b: VoteOption.NO})
    vote(dt.date(2024, 3, 1), {a: VoteOption.NO, b: VoteOption.NON_VOTING})  # not both cast
    vote(dt.date(2024, 4, 1), {a: VoteOption.NO, b: VoteOption.YES}, status=EventStatus.DRAFT)
    assert agreement_by_year(a, b) == [YearAgreement(2023, 2, 1), YearAgreement(2024, 1, 1)]
    assert [row.percent for row in agreement_by_year(a, b)] == [50, 100]
    assert list(vote_partners(a)) == sorted([b, c], key=lambda actor: actor.name)
