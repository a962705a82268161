import pytest

from events.choices import ActorKind, VoteOption, VoteResult
from events.imports.models import ImportStatus
from events.imports.pipeline import start_import
from events.models import Actor, CountryVote, Event, VoteRecord
from tests.events.imports.files import votes
from tests.factories import ActorFactory, StateFactory

pytestmark = pytest.mark.django_db

ROLL = [
    ("USA", "N"),
    ("RUS", "N"),
    ("UKR", "Y"),
    ("FRA", "Y"),
    ("GBR", "Y"),
    ("CHN", "A"),
    ("IND", "X"),
]


@pytest.fixture
def assembly():
    return ActorFactory(
        name="United Nations General Assembly",
        slug="un-general-assembly",
        kind=ActorKind.ORGAN,
        voting_members=193,
    )


@pytest.fixture
def states():
    return [
        StateFactory(name=name, slug=name.lower(), iso3=code)
        for code, name in (("USA", "United States"), ("RUS", "Russia"), ("UKR", "Ukraine"))
    ]


def run(data: bytes, user=None, **options):
    return start_import(data=data, file_name="votes.csv", user=user, **options)


def test_it_records_the_vote_with_the_whole_roll_and_counts_from_it(assembly, states, curator):
    result = run(votes(ROLL), curator)
    assert result.format == "un-votes"  # told from the header
    assert result.status == ImportStatus.DONE
    assert result.created_count == 1
    record = VoteRecord.objects.get()
    assert record.body == assembly
    assert record.document_symbol == "A/RES/ES-11/7"
    assert record.roll_complete
    assert (record.yes_count, record.no_count, record.abstain_count, record.non_voting_count) == (
        3,
        2,
        1,
        1,
    )
    assert record.result == VoteResult.ADOPTED
    roll = dict(record.country_votes.values_list("actor__iso3", "option"))
    assert roll["UKR"] == VoteOption.YES and roll["IND"] == VoteOption.NON_VOTING
    assert record.event.external_ids.get().value == "4000001"
    assert record.event.event_type.slug == "un-vote"


def test_member_states_not_yet_known_are_created_from_iso_3166_and_listed(assembly, states):
    result = run(votes(ROLL))
    created = set(Actor.objects.filter(kind=ActorKind.STATE).values_list("iso3", flat=True))
    assert created == {"USA", "RUS", "UKR", "FRA", "GBR", "CHN", "IND"}
    assert "France (state, FRA)" in result.report["actors_created"]
    assert Actor.objects.get(iso3="GBR").name == "United Kingdom"


def test_a_dry_run_lists_the_states_it_would_create_and_creates_none(assembly, states):
    result = run(votes(ROLL), dry_run=True)
    assert result.created_count == 1
    assert "France (state, FRA) (would be created)" in result.report["actors_created"]
    assert not Actor.objects.filter(iso3="FRA").exists()
    assert not Event.objects.exists()


def test_a_code_that_is_not_iso_alpha3_is_a_row_error(assembly, states):
    result = run(votes([*ROLL, ("XXX", "Y"), ("FR", "Y")]))
    assert result.status == ImportStatus.REFUSED
    assert [(p["row"], p["column"]) for p in result.report["problems"]] == [
        (9, "ms_code"),
        (10, "ms_code"),
    ]
    assert "ISO 3166-1 alpha-3" in result.report["problems"][0]["message"]
    assert not VoteRecord.objects.exists()


def test_a_vote_that_is_not_y_n_a_or_x_is_a_row_error(assembly, states):
    result = run(votes([*ROLL[:2], ("UKR", "Yes")]))
    [problem] = result.report["problems"]
    assert (problem["row"], problem["column"]) == (4, "ms_vote")


def test_a_resolution_with_an_impossible_date_is_reported_once_not_per_member(assembly, states):
    good = votes(ROLL, undl_id="4000002", resolution="A/RES/ES-11/8").split(b"\r\n", 1)[1]
    result = run(votes(ROLL, date="2025-02-30") + good, skip_invalid=True)
    [problem] = result.report["problems"]  # one, though all seven rows share the date
    assert (problem["row"], problem["column"]) == (2, "date")
    assert "February 2025 has 28 days" in problem["message"]
    assert any("4000001 is left out, with all its rows" in n for n in result.report["notes"])
    assert result.created_count == 1  # the other resolution is imported (--skip-invalid)
    assert VoteRecord.objects.get().document_symbol == "A/RES/ES-11/8"


def test_reimporting_changes_nothing_and_a_changed_vote_updates_the_roll(assembly, states):
    run(votes(ROLL))
    again = run(votes(ROLL))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 1)
    changed = run(votes([("USA", "Y"), *ROLL[1:]]))
    assert changed.updated_count == 1
    record = VoteRecord.objects.get()
    assert record.yes_count == 4 and record.roll_complete
    assert record.country_votes.get(actor__iso3="USA").option == VoteOption.YES


def test_an_existing_vote_event_is_found_by_its_source_url(assembly, states, curator):
    first = run(votes(ROLL, undl_id=""))
    assert first.created_count == 1
    Event.objects.update(slug="renamed-by-a-curator")
    again = run(votes(ROLL, undl_id=""))
    assert again.unchanged_count == 1
    assert Event.objects.count() == 1


def test_two_resolutions_in_one_file(assembly, states):
    data = (
        votes(ROLL)
        + votes(ROLL, undl_id="4000002", resolution="A/RES/ES-11/8").split(b"\r\n", 1)[1]
    )
    result = run(data)
    assert result.created_count == 2
    assert VoteRecord.objects.count() == 2


def resolutions(count: int, year: int) -> bytes:
    """A file of `count` resolutions voted in `year`, far from any other year's dates."""
    files = [
        votes(
            ROLL,
            undl_id=f"{year}{number:03d}",
            resolution=f"A/RES/{year}/{number + 1}",
            draft="",
            date=f"{year}-03-{number + 1:02d}",
        )
        for number in range(count)
    ]
    return files[0] + b"".join(data.split(b"\r\n", 1)[1] for data in files[1:])


def test_the_queries_of_an_import_do_not_grow_with_its_resolutions(assembly, states):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run(resolutions(1, 2001))  # creates the member states
    queries = []
    for count, year in ((2, 2005), (12, 2010)):
        with CaptureQueriesContext(connection) as captured:
            result = run(resolutions(count, year))
        assert (result.status, result.created_count) == (ImportStatus.DONE, count)
        queries.append(len(captured))

    assert queries[0] == queries[1]
    assert VoteRecord.objects.filter(roll_complete=True).count() == 15


def test_a_resolution_whose_rows_are_apart_in_the_file_is_one_roll(assembly, states):
    first, second = votes(ROLL[:3]), votes(ROLL[3:])
    other = votes(ROLL, undl_id="4000002", resolution="A/RES/ES-11/8")
    data = first + other.split(b"\r\n", 1)[1] + second.split(b"\r\n", 1)[1]

    result = run(data)

    assert (result.status, result.created_count) == (ImportStatus.DONE, 2)
    record = VoteRecord.objects.get(document_symbol="A/RES/ES-11/7")
    assert record.country_votes.count() == len(ROLL)


def test_a_repeated_member_names_the_row_it_repeats(assembly, states):
    result = run(votes([*ROLL, ("usa", "Y")]))

    [problem] = result.report["problems"]
    assert problem["row"] == 9 and "row 2" in problem["message"]
    assert result.status == ImportStatus.REFUSED


def test_the_import_is_one_revision_holding_the_whole_roll_and_the_new_states(
    assembly, states, curator
):
    from events import revisions

    result = run(votes(ROLL), curator)

    event = Event.objects.get()
    (entry,) = revisions.history(event)
    assert entry.revision.get_comment() == f"Import #{result.pk} (votes.csv)"
    roll = entry.snapshot.parts[CountryVote]
    assert sorted(roll.values(), key=lambda vote: vote["actor"]) == sorted(
        (
            {"vote_record": event.vote_record.pk, "actor": actor_id, "option": option}
            for actor_id, option in CountryVote.objects.values_list("actor_id", "option")
        ),
        key=lambda vote: vote["actor"],
    )
    assert "France: In favour" in entry.snapshot.reprs.values()
    (france,) = revisions.history(Actor.objects.get(iso3="FRA"))
    assert france.revision == entry.revision


def test_a_new_state_whose_slug_is_taken_gets_the_next_one_and_undo_removes_it(
    assembly, states, curator
):
    from events.imports.undo import import_undo

    ActorFactory(name="France (the ship)", slug="france")

    result = run(votes(ROLL), curator)

    assert Actor.objects.get(iso3="FRA").slug == "france-2"
    assert "France (state, FRA)" in result.report["actors_created"]
    import_undo(import_run=result, user=curator)
    assert not Actor.objects.filter(iso3__in=["FRA", "GBR", "CHN", "IND"]).exists()
    assert Actor.objects.filter(slug="france").exists()


def test_a_dry_run_sends_its_file_to_the_database_once(assembly, states):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = run(votes(ROLL), dry_run=True)

    assert result.status == ImportStatus.DRY_RUN
    assert bytes(type(result).objects.get().content) == votes(ROLL)  # kept for confirming
    assert sum('"content"' in query["sql"] for query in captured) == 1
