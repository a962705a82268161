import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.choices import ActorKind
from events.imports.models import ImportStatus
from events.imports.pipeline import start_import
from events.imports.undo import import_undo, undo_problems
from events.models import Actor, Event, Source, VoteRecord
from tests.events.imports.files import sheet, votes
from tests.factories import ActorFactory

pytestmark = pytest.mark.django_db

ROW = {"Year": 2025, "Month": 2, "Day": 18, "Headline": "Talks", "Media": "https://example.org/a"}


def test_undo_deletes_what_the_import_created(curator):
    result = start_import(data=sheet(ROW), file_name="s.csv", user=curator)
    assert undo_problems(result) == []
    counts = import_undo(import_run=result, user=curator)
    assert counts["deleted"] == 2  # the event and its new source
    assert not Event.objects.exists() and not Source.objects.exists()
    result.refresh_from_db()
    assert result.status == ImportStatus.UNDONE


def test_undo_puts_back_what_the_import_updated(curator):
    start_import(data=sheet(ROW), file_name="s.csv", user=curator)
    second = start_import(data=sheet({**ROW, "Text": "New"}), file_name="s.csv", user=curator)
    assert second.updated_count == 1
    import_undo(import_run=second, user=curator)
    assert Event.objects.get().summary == ""


def test_undo_is_refused_once_a_row_was_edited_since(curator):
    result = start_import(data=sheet(ROW), file_name="s.csv", user=curator)
    event = Event.objects.get()
    event.title = "Edited by hand"
    event.save()
    problems = undo_problems(result)
    assert len(problems) == 1 and "edited after the import" in problems[0]
    with pytest.raises(ValidationError):
        import_undo(import_run=result, user=curator)
    assert Event.objects.exists()


def test_undo_of_a_vote_update_restores_the_roll_and_counts(curator):
    ActorFactory(slug="un-general-assembly", kind=ActorKind.ORGAN, voting_members=193)
    roll = [("USA", "N"), ("UKR", "Y"), ("FRA", "Y")]
    start_import(data=votes(roll), file_name="v.csv", user=curator)
    second = start_import(data=votes([("USA", "Y"), *roll[1:]]), file_name="v.csv", user=curator)
    import_undo(import_run=second, user=curator)
    record = VoteRecord.objects.get()
    assert (record.yes_count, record.no_count, record.roll_complete) == (2, 1, True)
    assert record.country_votes.get(actor__iso3="USA").option == "no"
    assert Actor.objects.filter(iso3="FRA").exists()  # created by the first import, kept


def test_checking_an_undo_costs_the_same_queries_for_3_rows_as_for_12(
    curator, django_assert_max_num_queries
):
    def imported(count: int, year: int):
        rows = [{**ROW, "Headline": f"Row {n}", "Year": str(year)} for n in range(count)]
        return start_import(data=sheet(*rows), file_name=f"{year}.csv", user=curator)

    small, large = imported(3, 1991), imported(12, 1992)
    assert small.status == large.status == ImportStatus.DONE
    with CaptureQueriesContext(connection) as for_small:
        assert undo_problems(small) == []
    with django_assert_max_num_queries(len(for_small)):
        assert undo_problems(large) == []
    Event.objects.filter(title="Row 5").update(version=99)  # edited since (any path)
    [problem] = undo_problems(large)
    assert "“Row 5” (row 7) was edited after the import" in problem
