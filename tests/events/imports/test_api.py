import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from events.imports.models import Import, ImportStatus
from events.models import Event
from tests.events.imports.files import sheet

pytestmark = pytest.mark.django_db

ROW = {"Year": 2025, "Month": 2, "Day": 18, "Headline": "Talks in Riyadh"}
URL = "/api/v1/imports/"


def post(client, data: bytes, **fields):
    return client.post(
        URL, {"file": SimpleUploadedFile("s.csv", data), **fields}, format="multipart"
    )


@pytest.fixture
def api(curator):
    client = APIClient()
    client.force_authenticate(curator)
    return client


def test_a_post_answers_the_dry_run_report_by_default(api):
    response = post(api, sheet(ROW))
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["dry_run"], body["created"]) == ("dry_run", True, 1)
    assert not Event.objects.exists()
    assert api.get(body["url"]).json()["id"] == body["id"]


def test_a_post_with_dry_run_false_imports(api):
    response = post(api, sheet(ROW), dry_run="false")
    assert response.status_code == 201
    assert response.json()["created"] == 1
    assert Event.objects.get().title == "Talks in Riyadh"


def test_invalid_rows_are_a_422_with_the_rows_to_fix(api):
    response = post(api, sheet({**ROW, "Day": 30}), dry_run="false")
    assert response.status_code == 422
    assert response.json()["problems"][0]["column"] == "Day"
    assert not Event.objects.exists()


def test_a_large_import_runs_in_the_background_and_is_followed(
    api, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, sheet(ROW, {**ROW, "Day": 19}), dry_run="false")
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    # The test backend runs the task at once, when the request's transaction commits.
    followed = api.get(response["Location"]).json()
    assert followed["status"] == ImportStatus.DONE
    assert followed["created"] == 2
    assert Import.objects.get().content is None


def test_only_curators_and_editors_import(client, django_user_model):
    assert post(APIClient(), sheet(ROW)).status_code == 401
    reader = APIClient()
    reader.force_authenticate(django_user_model.objects.create(username="reader"))
    assert post(reader, sheet(ROW)).status_code == 403


def test_an_oversized_upload_is_a_400(api, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    response = post(api, b"x" * (1024 * 1024 + 1))
    assert response.status_code == 400
    assert "at most 1 MB" in str(response.json())


def test_nginx_lets_an_import_upload_through_up_to_the_documented_limit(settings):
    from tests.deploy.conftest import DEPLOY

    site = (DEPLOY / "nginx" / "timeline.conf").read_text()
    assert f"client_max_body_size {settings.IMPORT_MAX_UPLOAD_MB + 1}m;" in site
    assert f"up to {settings.IMPORT_MAX_UPLOAD_MB} MB" in site
