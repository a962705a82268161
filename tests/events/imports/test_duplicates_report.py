"""An import's report lists, per row, the recorded events it may repeat."""

import datetime as dt

import pytest
from django.core.management import call_command

from events.imports.models import Import
from events.models import Event
from tests.events.imports.files import sheet
from tests.factories import PublishedEventFactory

pytestmark = pytest.mark.django_db

ROW = {"Year": 2025, "Month": 2, "Day": 18, "Headline": "Talks in Riyadh"}
OTHER = {"Year": 2025, "Month": 7, "Day": 1, "Headline": "Summit in Alaska"}


def test_a_dry_run_lists_the_rows_that_may_repeat_a_recorded_event(tmp_path, capsys):
    talks = PublishedEventFactory(
        title="Talks in Riyadh", slug="riyadh-talks", start_date=dt.date(2025, 2, 18)
    )
    path = tmp_path / "sheet.csv"
    path.write_bytes(sheet(ROW, OTHER))

    call_command("import_data", str(path), "--dry-run", "--format", "timelinejs-sheet")

    (entry,) = Import.objects.get().report["duplicates"]
    assert entry["row"] == 2 and entry["likely"] is True
    assert [other["slug"] for other in entry["of"]] == [talks.slug]
    assert entry["of"][0]["reasons"][:2] == ["same title", "overlapping dates"]
    out = capsys.readouterr().out
    assert "Rows that may repeat a recorded event" in out and "riyadh-talks" in out
    assert Event.objects.count() == 1


def test_the_import_api_and_admin_show_the_duplicates(tmp_path, editor_client, editor):
    PublishedEventFactory(
        title="Talks in Riyadh", slug="riyadh-talks", start_date=dt.date(2025, 2, 18)
    )
    path = tmp_path / "sheet.csv"
    path.write_bytes(sheet(ROW))
    call_command("import_data", str(path), "--dry-run", "--user", "editor")
    run = Import.objects.get()

    api = editor_client.get(f"/api/v1/imports/{run.pk}/").json()
    page = editor_client.get(f"/admin/imports/import/{run.pk}/change/").content.decode()

    assert api["duplicates"][0]["of"][0]["slug"] == "riyadh-talks"
    assert "import-duplicates" in page and "/events/riyadh-talks/" in page
