import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import revisions
from events.choices import ActorKind
from events.imports import undo
from events.imports.models import ImportStatus
from events.imports.pipeline import start_import
from events.imports.undo import import_undo, undo_problems
from events.models import Actor, ChangeStamp, Event, Participation, Source, VoteRecord
from tests.events.imports.files import sheet, votes
from tests.factories import ActorFactory, CitationFactory, EventFactory, EventRelationFactory

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


def _rows(count: int, year: int) -> list[dict]:
    """`count` rows, each its own event citing its own source, the first actor-named ones."""
    return [
        {
            **ROW,
            "Headline": f"Row {n} of {year}",
            "Year": str(year),
            "Media": f"https://example.org/{year}/{n}",
            "Group": "Ukraine" if n % 2 else "",
        }
        for n in range(count)
    ]


def test_undoing_costs_the_same_queries_for_3_rows_as_for_12(
    curator, django_assert_max_num_queries
):
    ActorFactory(name="Ukraine", slug="ukraine")
    small = start_import(data=sheet(*_rows(3, 1991)), file_name="s.csv", user=curator)
    large = start_import(data=sheet(*_rows(12, 1992)), file_name="l.csv", user=curator)
    assert Participation.objects.count() == 1 + 6
    with CaptureQueriesContext(connection) as for_small:
        assert import_undo(import_run=small, user=curator)["deleted"] == 6
    with django_assert_max_num_queries(len(for_small)):
        assert import_undo(import_run=large, user=curator)["deleted"] == 24
    assert not Event.objects.exists() and not Source.objects.exists()
    assert not Participation.objects.exists()


def test_undo_deletes_chunk_by_chunk_records_it_and_moves_the_stamps_once(curator, monkeypatch):
    monkeypatch.setattr(undo, "DELETE_CHUNK", 2)
    result = start_import(data=sheet(*_rows(5, 1993)), file_name="s.csv", user=curator)

    def stamps():
        return [ChangeStamp.current(staff=staff).counter for staff in (False, True)]

    before = stamps()
    counts = import_undo(import_run=result, user=curator)
    assert counts == {"deleted": 10, "restored": 0, "kept": 0}
    assert not Event.objects.exists() and not Source.objects.exists()
    # One bump of each stamp for the whole undo: every cached page and ETag is renewed.
    assert stamps() == [before[0] + 1, before[1] + 1]
    result.refresh_from_db()
    assert result.report["undone"]["deleted"] == 10


def test_a_source_cited_since_by_another_event_is_kept_and_the_rest_deleted(curator, monkeypatch):
    monkeypatch.setattr(undo, "DELETE_CHUNK", 2)
    result = start_import(data=sheet(*_rows(4, 1994)), file_name="s.csv", user=curator)
    cited = Source.objects.get(url="https://example.org/1994/2")
    CitationFactory(event=EventFactory(title="Written by hand"), source=cited)
    counts = import_undo(import_run=result, user=curator)
    assert counts == {"deleted": 7, "restored": 0, "kept": 1}
    assert list(Source.objects.all()) == [cited]
    assert list(Event.objects.values_list("title", flat=True)) == ["Written by hand"]


def test_undo_refuses_to_delete_an_event_published_since_even_unchecked(curator, monkeypatch):
    result = start_import(data=sheet(*_rows(2, 1995)), file_name="s.csv", user=curator)
    Event.objects.filter(title="Row 1 of 1995").update(first_published_at="2025-03-01T00:00Z")
    monkeypatch.setattr(undo, "undo_problems", lambda import_run: [])
    with pytest.raises(ValidationError, match="has been published"):
        import_undo(import_run=result, user=curator)
    assert Event.objects.count() == 2 and Source.objects.count() == 2


def test_an_updated_row_deleted_since_is_named_and_published_rows_are_refused(curator):
    first = start_import(data=sheet(*_rows(2, 1996)), file_name="a.csv", user=curator)
    changed = [{**row, "Text": "Changed"} for row in _rows(2, 1996)]
    second = start_import(data=sheet(*changed), file_name="b.csv", user=curator)
    assert second.updated_count == 2
    gone = Event.objects.get(title="Row 0 of 1996")
    gone_pk = gone.pk
    gone.delete()
    assert undo_problems(second) == [f"event #{gone_pk} no longer exists."]
    Event.objects.filter(title="Row 1 of 1996").update(first_published_at="2025-03-01T00:00Z")
    problems = undo_problems(first)  # (its row 1 was also updated by the second import)
    assert any("“Row 1 of 1996” has been published" in problem for problem in problems)


def test_a_relation_to_an_imported_event_from_a_kept_one_is_recorded_in_the_kept_ones_history(
    curator,
):
    result = start_import(data=sheet(*_rows(1, 1997)), file_name="s.csv", user=curator)
    imported = Event.objects.get(title="Row 0 of 1997")
    kept = EventFactory(title="Written by hand")
    with revisions.recorded(curator, "related"):
        EventRelationFactory(from_event=kept, to_event=imported)
    version = Event.objects.get(pk=kept.pk).version
    import_undo(import_run=result, user=curator)
    assert list(Event.objects.all()) == [kept]
    assert Event.objects.get(pk=kept.pk).version == version + 1
    newest, *_older = revisions.history(kept)
    assert newest.revision.comment.startswith("Undo of Import #")
    assert {(part.part, part.action) for part in newest.diff.parts} == {
        ("event relation", "removed")
    }
