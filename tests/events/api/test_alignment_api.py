"""/api/v1/alignment/: how two states voted on the same recorded votes, per period."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.choices import ActorKind, EventStatus, VoteOption
from tests.events.api.resource_helpers import assert_json_error
from tests.factories import (
    ActorFactory,
    CountryVoteFactory,
    PublishedEventFactory,
    StateFactory,
    VoteRecordFactory,
    event_type,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/alignment/"


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_on_the_demo_data_the_us_and_russia_never_voted_alike_until_2025(client, demo):
    # 24 Feb 2025: alike on ES-11/7 and 2774, not on ES-11/8 (the US abstained, Russia against).
    data = client.get(URL, {"a": "usa", "b": "rus", "group_by": "year"}).json()
    assert data["a"]["slug"] == "united-states" and data["b"]["iso3"] == "RUS"
    by_year = {p["period"]: p for p in data["periods"]}
    assert list(by_year) == ["2022", "2023", "2025"]
    for year in ("2022", "2023"):
        assert by_year[year]["alike"] == 0
        assert by_year[year]["both_cast"] == len(by_year[year]["votes"]) > 0
        assert by_year[year]["agreement"] == 0.0
        assert all(v["a_option"] == "yes" and v["b_option"] == "no" for v in by_year[year]["votes"])
    feb_2025 = {v["symbol"]: v for v in by_year["2025"]["votes"] if v["edtf"] == "2025-02-24"}
    assert feb_2025["A/RES/ES-11/7"]["a_option"] == feb_2025["A/RES/ES-11/7"]["b_option"] == "no"
    assert feb_2025["S/RES/2774(2025)"]["a_option"] == "yes"
    assert feb_2025["S/RES/2774(2025)"]["b_option"] == "yes"
    assert (feb_2025["A/RES/ES-11/8"]["a_option"], feb_2025["A/RES/ES-11/8"]["b_option"]) == (
        "abstain",
        "no",
    )
    assert {symbol: v["alike"] for symbol, v in feb_2025.items()} == {
        "A/RES/ES-11/7": True,
        "A/RES/ES-11/8": False,
        "S/RES/2774(2025)": True,
    }
    assert (by_year["2025"]["both_cast"], by_year["2025"]["alike"]) == (3, 2)
    assert by_year["2025"]["agreement"] == 0.6667
    assert data["totals"] == {"both_cast": 6, "alike": 2, "agreement": 0.3333}


def test_on_the_demo_data_one_body_and_one_period_narrow_the_votes(client, demo):
    data = client.get(
        URL, {"a": "USA", "b": "russia", "body": "un-security-council", "group_by": "all"}
    ).json()
    assert data["body"]["slug"] == "un-security-council"
    assert [p["period"] for p in data["periods"]] == ["all"]
    assert [v["symbol"] for v in data["periods"][0]["votes"]] == ["S/RES/2774(2025)"]
    data = client.get(URL, {"a": "usa", "b": "rus", "from": "2022-06", "to": "2023"}).json()
    assert [v["symbol"] for p in data["periods"] for v in p["votes"]] == [
        "A/RES/ES-11/4",
        "A/RES/ES-11/6",
    ]


@pytest.fixture
def rolls():
    """Two states' votes on four records: two alike, one apart, one where B did not vote."""
    a = StateFactory(name="Freedonia", slug="freedonia", iso3="FRA")
    b = StateFactory(name="Sylvania", slug="sylvania", iso3="DEU")
    c = StateFactory(name="Latveria", slug="latveria")
    body = ActorFactory(name="Assembly", slug="assembly", kind=ActorKind.ORGAN)
    plan = [
        (dt.date(2024, 1, 10), VoteOption.YES, VoteOption.YES),
        (dt.date(2024, 1, 20), VoteOption.NO, VoteOption.YES),
        (dt.date(2024, 3, 5), VoteOption.ABSTAIN, VoteOption.ABSTAIN),
        (dt.date(2025, 6, 1), VoteOption.YES, VoteOption.NON_VOTING),
    ]
    for index, (day, option_a, option_b) in enumerate(plan):
        record = VoteRecordFactory(
            event=PublishedEventFactory(
                slug=f"vote-{index}", start_date=day, event_type=event_type("un-vote")
            ),
            body=body,
        )
        CountryVoteFactory(vote_record=record, actor=a, option=option_a)
        CountryVoteFactory(vote_record=record, actor=b, option=option_b)
        CountryVoteFactory(vote_record=record, actor=c, option=VoteOption.NO)
    draft = VoteRecordFactory(
        event=PublishedEventFactory(
            slug="draft-vote",
            status=EventStatus.DRAFT,
            start_date=dt.date(2024, 1, 15),
            event_type=event_type("un-vote"),
        ),
        body=body,
    )
    CountryVoteFactory(vote_record=draft, actor=a, option=VoteOption.YES)
    CountryVoteFactory(vote_record=draft, actor=b, option=VoteOption.NO)
    return a, b


def test_it_groups_by_month_counting_only_votes_both_cast(client, rolls):
    data = client.get(URL, {"a": "freedonia", "b": "sylvania", "group_by": "month"}).json()
    periods = {p["period"]: p for p in data["periods"]}
    assert list(periods) == ["2024-01", "2024-03", "2025-06"]
    assert (periods["2024-01"]["both_cast"], periods["2024-01"]["alike"]) == (2, 1)
    assert periods["2024-01"]["agreement"] == 0.5
    assert (periods["2024-01"]["start"], periods["2024-01"]["end"]) == ("2024-01-01", "2024-01-31")
    assert periods["2024-03"]["agreement"] == 1.0
    june = periods["2025-06"]
    assert (june["both_cast"], june["alike"], june["agreement"]) == (0, 0, None)
    assert june["votes"][0]["b_option"] == "non_voting" and june["votes"][0]["alike"] is None
    assert data["totals"] == {"both_cast": 3, "alike": 2, "agreement": 0.6667}


def test_votes_of_unpublished_events_never_count(client, rolls):
    data = client.get(URL, {"a": "freedonia", "b": "sylvania", "group_by": "all"}).json()
    assert "draft-vote" not in [v["event"] for v in data["periods"][0]["votes"]]
    assert data["periods"][0]["start"] == "2024-01-10"
    assert data["periods"][0]["end"] == "2025-06-01"


@pytest.mark.parametrize(
    ("params", "field", "contains"),
    [
        ({"b": "sylvania"}, "a", "required"),
        ({"a": "atlantis", "b": "sylvania"}, "a", "Unknown actor: atlantis"),
        ({"a": "freedonia", "b": "fra"}, "b", "two different states"),
        ({"a": "freedonia", "b": "assembly"}, "b", "not a state"),
        ({"a": "freedonia", "b": "sylvania", "group_by": "week"}, "group_by", "year, month or all"),
        ({"a": "freedonia", "b": "sylvania", "from": "2024-02-30"}, "from", "valid"),
        ({"a": "freedonia", "b": "sylvania", "from": "2025", "to": "2024"}, "to", "before"),
        ({"a": "freedonia", "b": "sylvania", "body": "nowhere"}, "body", "nowhere"),
    ],
)
def test_bad_parameters_are_400s_that_say_what_is_allowed(client, rolls, params, field, contains):
    assert_json_error(client.get(URL, params), 400, field=field, contains=contains)


def test_it_answers_in_the_same_queries_for_1_or_40_votes(client, rolls):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"a": "freedonia", "b": "sylvania"}).status_code == 200
        return len(captured)

    few = queries()
    a, b = rolls
    for index in range(36):
        record = VoteRecordFactory(
            event=PublishedEventFactory(
                slug=f"more-{index}",
                start_date=dt.date(2000 + index % 20, 1, 1),
                event_type=event_type("un-vote"),
            )
        )
        CountryVoteFactory(vote_record=record, actor=a)
        CountryVoteFactory(vote_record=record, actor=b)
    assert queries() == few  # the stamp, the two states, and the one join
