"""Every malformed file gets a report that says what to fix, never a traceback, and nothing
is written."""

import pytest

from events.imports.models import ImportStatus
from events.imports.pipeline import start_import
from events.models import Event
from tests.events.imports.files import csv_bytes, sheet

pytestmark = pytest.mark.django_db

ROW = {"Year": 2025, "Month": 2, "Day": 18, "Headline": "Talks in Riyadh"}


def run(data: bytes, file_name="sheet.csv", **options):
    return start_import(data=data, file_name=file_name, user=None, **options)


def test_utf8_with_a_byte_order_mark_is_read():
    result = run(sheet({**ROW, "Headline": "Gespräche in Riad"}, bom=True))
    assert result.status == ImportStatus.DONE
    assert Event.objects.get().title == "Gespräche in Riad"


def test_a_latin1_file_is_refused_with_how_to_save_it():
    data = sheet({**ROW, "Headline": "Gespräche"}).decode().encode("latin-1")
    result = run(data, format="timelinejs-sheet")
    assert result.status == ImportStatus.REFUSED
    assert "not UTF-8" in result.report["refused"]
    assert "CSV UTF-8" in result.report["refused"]
    assert not Event.objects.exists()


def test_a_utf16_file_is_refused():
    result = run(sheet(ROW).decode().encode("utf-16"), format="timelinejs-sheet")
    assert "UTF-16" in result.report["refused"]


def test_a_csv_missing_a_required_column_is_refused_naming_it():
    result = run(
        csv_bytes(["Year", "Month", "Text"], [["2025", "2", "x"]]), format="timelinejs-sheet"
    )
    assert result.status == ImportStatus.REFUSED
    assert "lacks the column Headline" in result.report["refused"]


def test_an_xlsx_that_is_not_one_is_refused():
    result = run(b"PK\x03\x04 this is no workbook", file_name="sheet.xlsx")
    assert result.status == ImportStatus.REFUSED
    assert "not a readable XLSX workbook" in result.report["refused"]


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    result = run(sheet(ROW) + b"x" * (1024 * 1024))
    assert result.status == ImportStatus.REFUSED
    assert "at most 1 MB" in result.report["refused"]


def test_an_impossible_date_is_a_row_problem_naming_the_column():
    result = run(sheet({**ROW, "Day": 30}))
    assert result.status == ImportStatus.REFUSED
    assert result.report["problems"] == [
        {
            "row": 2,
            "column": "Day",
            "message": "2025-02-30 is not a date: February 2025 has 28 days.",
        }
    ]
    assert not Event.objects.exists()


def test_a_formula_in_a_number_cell_is_a_row_problem_not_evaluated():
    result = run(sheet({**ROW, "Year": "=2020+5"}))
    [problem] = result.report["problems"]
    assert problem["column"] == "Year"
    assert "never evaluated" in problem["message"]


def test_a_formula_in_a_text_cell_is_kept_as_text_and_said():
    result = run(sheet({**ROW, "Text": "=1+1"}))
    assert result.status == ImportStatus.DONE
    assert Event.objects.get().summary == "=1+1"
    assert any("Row 2, Text" in note for note in result.report["notes"])


def test_a_duplicated_row_is_reported_against_the_first():
    result = run(sheet(ROW, {"Year": 2024, "Headline": "Other"}, ROW))
    assert result.status == ImportStatus.REFUSED
    [problem] = result.report["problems"]
    assert problem["row"] == 4
    assert "Repeats row 2" in problem["message"]


def test_a_partly_valid_file_writes_nothing_by_default():
    data = sheet(ROW, {"Year": 2025, "Month": 13, "Headline": "Bad month"}, {"Headline": "No year"})
    result = run(data)
    assert result.status == ImportStatus.REFUSED
    assert [(p["row"], p["column"]) for p in result.report["problems"]] == [
        (3, "Month"),
        (4, "Year"),
    ]
    assert "Nothing was written" in result.report["refused"]
    assert result.created_count == 1  # what the valid rows would do
    assert not Event.objects.exists()


def test_skip_invalid_writes_the_valid_rows_and_reports_the_others():
    data = sheet(ROW, {"Year": 2025, "Month": 13, "Headline": "Bad month"})
    result = run(data, skip_invalid=True)
    assert result.status == ImportStatus.DONE
    assert (result.created_count, result.rejected_count) == (1, 1)
    assert Event.objects.get().title == "Talks in Riyadh"


def test_a_file_whose_format_cannot_be_told_is_refused_listing_the_formats():
    result = run(csv_bytes(["a", "b"], [["1", "2"]]))
    assert result.status == ImportStatus.REFUSED
    assert "--format" in result.report["refused"]
    assert "timelinejs-sheet" in result.report["refused"]


def test_an_empty_file_is_refused():
    result = run(b"", format="timelinejs-sheet")
    assert "empty" in result.report["refused"]


def test_an_implausible_year_is_a_row_problem():
    result = run(sheet({**ROW, "Year": 1200}))
    [problem] = result.report["problems"]
    assert problem["column"] == "Year"
    assert "1200" in problem["message"]
