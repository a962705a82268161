import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.imports.models import Import, ImportStatus
from events.models import Event
from tests.events.imports.files import sheet

pytestmark = pytest.mark.django_db

ROW = {"Year": 2025, "Month": 2, "Day": 18, "Headline": "Talks in Riyadh"}


def upload(client, data: bytes, **fields):
    return client.post(
        reverse("admin:imports_upload"),
        {"file": SimpleUploadedFile("sheet.csv", data), **fields},
        follow=True,
    )


def test_a_curator_uploads_reads_the_dry_run_and_imports_on_confirmation(curator_client):
    assert curator_client.get(reverse("admin:imports_upload")).status_code == 200
    response = upload(
        curator_client, sheet(ROW, {"Year": 2025, "Month": 13, "Headline": "X"}), skip_invalid="on"
    )
    page = response.content.decode()
    assert "Month" in page and "13 is out of range" in page
    assert "Import this file" in page
    assert not Event.objects.exists()
    dry = Import.objects.get()
    response = curator_client.post(reverse("admin:imports_confirm", args=[dry.pk]), follow=True)
    assert response.status_code == 200
    real = Import.objects.exclude(pk=dry.pk).get()
    assert real.status == ImportStatus.DONE and not real.dry_run
    assert real.options["skip_invalid"] is True
    assert Event.objects.get().title == "Talks in Riyadh"


def test_the_import_list_and_page_render(curator_client):
    upload(curator_client, sheet(ROW))
    assert curator_client.get(reverse("admin:imports_import_changelist")).status_code == 200
    dry = Import.objects.get()
    page = curator_client.get(reverse("admin:imports_import_change", args=[dry.pk]))
    assert page.status_code == 200
    assert "Dry run" in page.content.decode()


def test_an_editor_undoes_an_import_from_the_admin(editor_client):
    upload(editor_client, sheet(ROW))
    dry = Import.objects.get()
    editor_client.post(reverse("admin:imports_confirm", args=[dry.pk]))
    real = Import.objects.exclude(pk=dry.pk).get()
    page = editor_client.get(reverse("admin:imports_import_change", args=[real.pk]))
    assert "Undo this import" in page.content.decode()
    editor_client.post(reverse("admin:imports_undo", args=[real.pk]))
    assert not Event.objects.exists()
    real.refresh_from_db()
    assert real.status == ImportStatus.UNDONE


def test_a_curator_may_not_undo(curator_client):
    upload(curator_client, sheet(ROW))
    dry = Import.objects.get()
    curator_client.post(reverse("admin:imports_confirm", args=[dry.pk]))
    real = Import.objects.exclude(pk=dry.pk).get()
    assert curator_client.post(reverse("admin:imports_undo", args=[real.pk])).status_code == 403
    assert Event.objects.exists()


def test_an_oversized_upload_is_a_form_error(curator_client, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    response = upload(curator_client, b"x" * (1024 * 1024 + 1))
    assert "imports take at most 1 MB" in response.content.decode()
    assert not Import.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("admin:imports_upload"))
    assert response.status_code == 302


def test_the_import_records_and_shows_who_the_file_its_digest_format_and_counts(curator_client):
    data = sheet(ROW)
    upload(curator_client, data)
    dry = Import.objects.get()
    curator_client.post(reverse("admin:imports_confirm", args=[dry.pk]))
    real = Import.objects.exclude(pk=dry.pk).get()
    assert (real.created_by.username, real.file_name, real.format) == (
        "curator", "sheet.csv", "timelinejs-sheet",
    )  # fmt: skip
    assert real.sha256 == hashlib.sha256(data).hexdigest()
    assert (real.created_count, real.rejected_count) == (1, 0) and real.finished_at
    page = curator_client.get(reverse("admin:imports_import_change", args=[real.pk])).content
    for shown in ("sheet.csv", real.sha256, "curator", real.get_format_display()):
        assert shown in page.decode(), shown
