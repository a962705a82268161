import pytest
from django.core.management import CommandError, call_command

from events.imports.models import Import
from events.models import Event
from tests.events.imports.files import sheet

pytestmark = pytest.mark.django_db

ROW = {"Year": 2025, "Month": 2, "Day": 18, "Headline": "Talks in Riyadh"}


def test_it_imports_and_ends_with_a_summary_table(tmp_path, capsys, curator):
    path = tmp_path / "sheet.csv"
    path.write_bytes(sheet(ROW))
    call_command("import_data", str(path), "--user", "curator")
    out = capsys.readouterr().out
    assert "1/1 rows" in out  # not a terminal: plain progress lines
    assert "created" in out and "rejected rows" in out
    assert Event.objects.get().created_by == curator
    assert Import.objects.get().format == "timelinejs-sheet"


def test_a_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "sheet.csv"
    path.write_bytes(sheet(ROW))
    call_command("import_data", str(path), "--dry-run", "--format", "timelinejs-sheet")
    assert "Dry run: nothing was written" in capsys.readouterr().out
    assert not Event.objects.exists()


def test_invalid_rows_are_listed_and_the_command_fails(tmp_path, capsys):
    path = tmp_path / "sheet.csv"
    path.write_bytes(sheet({**ROW, "Day": 30}))
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_data", str(path))
    out = capsys.readouterr().out
    assert "Rows to fix" in out and "February 2025 has 28 days" in out


def test_an_unknown_user_is_an_error(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_bytes(sheet(ROW))
    with pytest.raises(CommandError, match="No account"):
        call_command("import_data", str(path), "--user", "nobody")


def test_on_a_terminal_it_shows_a_progress_bar_with_rows_per_second_and_an_eta(
    tmp_path, capsys, monkeypatch
):
    import rich.console

    monkeypatch.setattr(rich.console.Console, "is_terminal", property(lambda self: True))
    path = tmp_path / "sheet.csv"
    path.write_bytes(sheet(ROW, {**ROW, "Day": 19, "Headline": "Talks in Jeddah"}))
    call_command("import_data", str(path))
    out = capsys.readouterr().out
    assert "Importing" in out and "2/2" in out
    assert "rows/s" in out and "ETA" in out
    assert "2/2 rows" not in out  # the bar, not the plain lines
    assert Event.objects.count() == 2
