"""/api/v1/votes/: published votes with counts, filters by body, period and how a state voted."""

import datetime as dt

import pytest

from events import revisions
from events.choices import ActorKind, EventStatus, VoteOption
from events.models import CountryVote, VoteRecord
from tests.events.api.resource_helpers import assert_json_error, count_queries, if_match
from tests.factories import (
    ActorFactory,
    CountryVoteFactory,
    PublishedEventFactory,
    StateFactory,
    VoteRecordFactory,
    event_type,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/votes/"


def vote_event(slug: str, day: dt.date, status=EventStatus.PUBLISHED):
    return PublishedEventFactory(
        slug=slug, start_date=day, status=status, event_type=event_type("un-vote")
    )


@pytest.fixture
def votes():
    usa = StateFactory(name="United States", slug="united-states", iso3="USA")
    russia = StateFactory(name="Russian Federation", slug="russia", iso3="RUS")
    ga = ActorFactory(name="General Assembly", slug="un-general-assembly", kind=ActorKind.ORGAN)
    sc = ActorFactory(name="Security Council", slug="un-security-council", kind=ActorKind.ORGAN)
    records = {}
    for symbol, body, day, us, ru in [
        ("A/RES/ES-11/1", ga, dt.date(2022, 3, 2), VoteOption.YES, VoteOption.NO),
        ("A/RES/ES-11/7", ga, dt.date(2025, 2, 24), VoteOption.NO, VoteOption.NO),
        ("S/RES/2774(2025)", sc, dt.date(2025, 2, 24), VoteOption.YES, VoteOption.YES),
    ]:
        record = VoteRecordFactory(
            event=vote_event(symbol.lower().replace("/", "-"), day),
            body=body,
            document_symbol=symbol,
            yes_count=93,
            no_count=18,
            abstain_count=65,
        )
        CountryVoteFactory(vote_record=record, actor=usa, option=us)
        CountryVoteFactory(vote_record=record, actor=russia, option=ru)
        records[symbol] = record
    draft = VoteRecordFactory(
        event=vote_event("draft-vote", dt.date(2025, 3, 1), status=EventStatus.DRAFT),
        body=ga,
        document_symbol="A/RES/79/999",
    )
    CountryVoteFactory(vote_record=draft, actor=usa, option=VoteOption.NO)
    return records


def symbols(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["document_symbol"] for row in response.json()["results"]]


def test_it_lists_votes_of_published_events_in_date_order(client, votes):
    assert symbols(client.get(URL)) == ["A/RES/ES-11/1", "A/RES/ES-11/7", "S/RES/2774(2025)"]


def test_a_row_has_counts_body_result_and_the_date_in_display_and_edtf(client, votes):
    row = client.get(URL).json()["results"][1]
    assert row["counts"] == {"yes": 93, "no": 18, "abstain": 65, "non_voting": None}
    assert row["body"] == {"slug": "un-general-assembly", "name": "General Assembly"}
    assert row["result"] == "adopted"
    assert row["date"] == "24 Feb 2025"
    assert row["edtf"] == "2025-02-24"
    assert row["event"] == "a-res-es-11-7"
    assert row["event_url"].endswith("/api/v1/events/a-res-es-11-7/")


def test_it_filters_by_body(client, votes):
    assert symbols(client.get(URL, {"body": "un-security-council"})) == ["S/RES/2774(2025)"]
    assert_json_error(client.get(URL, {"body": "nowhere"}), 400, field="body", contains="nowhere")


def test_it_filters_by_partial_dates(client, votes):
    assert symbols(client.get(URL, {"from": "2025"})) == ["A/RES/ES-11/7", "S/RES/2774(2025)"]
    assert symbols(client.get(URL, {"to": "2022-03"})) == ["A/RES/ES-11/1"]
    assert symbols(client.get(URL, {"from": "2022-03-03", "to": "2025-02-23"})) == []
    assert_json_error(client.get(URL, {"from": "March"}), 400, field="from", contains="YYYY")
    assert_json_error(
        client.get(URL, {"from": "2025", "to": "2024"}), 400, field="to", contains="before"
    )


def test_it_filters_by_how_a_state_voted_with_its_iso_code_in_any_case(client, votes):
    assert symbols(client.get(URL, {"actor": "usa", "option": "no"})) == ["A/RES/ES-11/7"]
    assert symbols(client.get(URL, {"actor": "RUS", "option": "no"})) == [
        "A/RES/ES-11/1",
        "A/RES/ES-11/7",
    ]
    assert symbols(client.get(URL + "?actor=russia&option=yes&option=abstain")) == [
        "S/RES/2774(2025)"
    ]
    assert len(symbols(client.get(URL, {"actor": "usa"}))) == 3


def test_option_without_actor_and_unknown_actors_are_400s(client, votes):
    assert_json_error(client.get(URL, {"option": "no"}), 400, field="option", contains="actor")
    assert_json_error(client.get(URL, {"actor": "xyz"}), 400, field="actor", contains="xyz")
    assert_json_error(client.get(URL, {"actor": "usa", "option": "maybe"}), 400, field="option")


def test_the_detail_has_the_per_country_roll(client, votes):
    record = votes["A/RES/ES-11/1"]
    data = client.get(f"{URL}{record.pk}/").json()
    assert data["country_votes"] == [
        {"actor": "russia", "name": "Russian Federation", "iso3": "RUS", "option": "no"},
        {"actor": "united-states", "name": "United States", "iso3": "USA", "option": "yes"},
    ]


def test_a_vote_of_a_draft_event_is_a_404(client, votes):
    draft = VoteRecord.objects.get(document_symbol="A/RES/79/999")
    assert_json_error(client.get(f"{URL}{draft.pk}/"), 404)


def test_the_list_costs_the_same_queries_for_1_or_100_votes(client):
    VoteRecordFactory(event=vote_event("v0", dt.date(2025, 1, 1)))
    one = count_queries(client, URL)
    body = ActorFactory(kind=ActorKind.ORGAN)
    for index in range(1, 100):
        VoteRecordFactory(event=vote_event(f"v{index}", dt.date(2025, 1, 1)), body=body)
    assert count_queries(client, URL + "?page_size=200") == one


def test_the_detail_costs_the_same_queries_for_1_or_100_country_votes(client):
    record = VoteRecordFactory(event=vote_event("v", dt.date(2025, 1, 1)))
    CountryVoteFactory(vote_record=record)
    one = count_queries(client, f"{URL}{record.pk}/")
    for index in range(99):
        CountryVoteFactory(vote_record=record, actor=StateFactory(name=f"State {index}"))
    assert count_queries(client, f"{URL}{record.pk}/") == one


# Writes ---------------------------------------------------------------------------------


@pytest.fixture
def draft_vote_event():
    return vote_event("new-vote", dt.date(2025, 2, 24), status=EventStatus.DRAFT)


def test_an_editor_records_a_vote_with_its_roll(editor_client, votes, draft_vote_event):
    response = editor_client.post(
        URL,
        {
            "event": "new-vote",
            "body": "un-general-assembly",
            "document_symbol": "A/RES/ES-11/8",
            "title": "A resolution",
            "result": "rejected",
            "yes_count": 1,
            "no_count": 1,
            "abstain_count": 0,
            "non_voting_count": 0,
            "roll_complete": True,
            "country_votes": [
                {"actor": "usa", "option": "yes"},
                {"actor": "RUS", "option": "no"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    record = VoteRecord.objects.get(document_symbol="A/RES/ES-11/8")
    assert dict(record.country_votes.values_list("actor__iso3", "option")) == {
        "USA": "yes",
        "RUS": "no",
    }
    newest = revisions.history(record.event)[0]
    assert newest.revision.user.username == "editor"
    assert [p.action for p in newest.diff.parts if p.part == "country vote"] == ["added"] * 2
    assert [v["actor"] for v in response.json()["country_votes"]] == ["russia", "united-states"]


def test_a_complete_roll_that_disagrees_with_the_counts_is_a_400(
    editor_client, votes, draft_vote_event
):
    response = editor_client.post(
        URL,
        {
            "event": "new-vote",
            "body": "un-general-assembly",
            "title": "A resolution",
            "result": "adopted",
            "yes_count": 5,
            "no_count": 0,
            "abstain_count": 0,
            "roll_complete": True,
            "country_votes": [{"actor": "usa", "option": "yes"}],
        },
        content_type="application/json",
    )
    message = assert_json_error(
        response, 400, field="non_field_errors", contains="does not match the official counts"
    )
    assert "In favour: the roll has 1, the official count is 5" in message
    assert not VoteRecord.objects.filter(event__slug="new-vote").exists()  # nothing half-written


def test_a_roll_naming_a_non_state_or_a_state_twice_is_a_400(editor_client, votes):
    record = votes["A/RES/ES-11/1"]
    response = editor_client.patch(
        f"{URL}{record.pk}/",
        {"country_votes": [{"actor": "un-general-assembly", "option": "yes"}]},
        content_type="application/json",
        **if_match(record),
    )
    assert_json_error(response, 400, field="country_votes", contains="Only states cast votes")
    response = editor_client.patch(
        f"{URL}{record.pk}/",
        {"country_votes": [{"actor": "usa", "option": "yes"}, {"actor": "USA", "option": "no"}]},
        content_type="application/json",
        **if_match(record),
    )
    assert_json_error(response, 400, field="country_votes", contains="twice")


def test_changing_the_roll_rewrites_only_what_changed(editor_client, votes):
    record = votes["A/RES/ES-11/1"]
    russia_vote = CountryVote.objects.get(vote_record=record, actor__iso3="RUS")
    with revisions.recorded(reason="as loaded"):
        record.event.save()
    response = editor_client.patch(
        f"{URL}{record.pk}/",
        {
            "country_votes": [
                {"actor": "usa", "option": "abstain"},
                {"actor": "rus", "option": "no"},
            ]
        },
        content_type="application/json",
        **if_match(record),
    )
    assert response.status_code == 200, response.content
    assert CountryVote.objects.get(pk=russia_vote.pk).option == "no"  # same row, untouched
    newest = revisions.history(record.event)[0]
    changed = [p.object for p in newest.diff.parts if p.part == "country vote"]
    assert changed == ["United States: Abstention"]  # only the row that changed
    assert CountryVote.objects.get(vote_record=record, actor__iso3="USA").option == "abstain"


def test_a_vote_record_for_an_event_of_another_type_is_a_400(editor_client, votes):
    PublishedEventFactory(slug="a-summit")
    response = editor_client.post(
        URL,
        {
            "event": "a-summit",
            "body": "un-general-assembly",
            "title": "Not a vote",
            "result": "adopted",
            "yes_count": 1,
            "no_count": 0,
            "abstain_count": 0,
        },
        content_type="application/json",
    )
    assert_json_error(response, 400, field="event", contains="UN vote")
