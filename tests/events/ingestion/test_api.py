"""POST /api/v1/ingestions/ and GET /api/v1/ingestions/{id}/."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from events.ingestion.models import Ingestion
from events.models import Source
from tests.events.ingestion.conftest import ARTICLE
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("extractor", "actors")]
URL = "/api/v1/ingestions/"


@pytest.fixture
def api(curator):
    client = APIClient()
    client.force_authenticate(curator)
    return client


def test_a_url_is_ingested_and_answered_with_its_candidates(api, server):
    response = api.post(URL, {"url": f"{server}/article"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == "US pauses military aid to Ukraine"
    assert body["published"] == "2025-03-04"
    first = body["candidates"][0]
    assert first["date"] == "2025-03-04" and first["precision"] == "day"
    assert first["actors"] == ["ukraine", "united-states"]
    assert (first["type"], first["state"], first["paragraph"]) == ("statement", "pending", 1)
    assert response["Location"] == body["url"]
    assert api.get(body["url"]).json()["candidates"] == body["candidates"]


def test_pasted_text_and_an_uploaded_file_are_ingested(api):
    response = api.post(
        URL,
        {"text": "Ukraine and its allies met in Paris.", "published": "2025-02-17"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["candidates"][0]["date"] == "2025-02-17"
    upload = SimpleUploadedFile("page.html", ARTICLE.encode(), content_type="text/html")
    response = api.post(URL, {"file": upload}, format="multipart")
    assert response.status_code == 201
    assert response.json()["kind"] == "file"


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/missing", "404"), ("/report.pdf", "application/pdf"), ("/empty", "No article text")],
)
def test_bad_input_is_a_400_with_the_reason_and_writes_nothing(api, server, path, reason):
    response = api.post(URL, {"url": f"{server}{path}"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert reason in body["errors"]["url"][0] and body["detail"]
    assert not Ingestion.objects.exists() and not Source.objects.exists()


def test_an_internal_address_is_refused(api, settings):
    settings.TIMELINE_FETCH_ALLOW_HOSTS = []
    response = api.post(URL, {"url": "http://127.0.0.1:8000/admin/"}, format="json")
    assert response.status_code == 400
    assert "internal address" in response.json()["errors"]["url"][0]


def test_exactly_one_input_is_asked_for(api):
    response = api.post(URL, {"url": "https://example.org/a", "text": "x"}, format="json")
    assert response.status_code == 400
    assert "exactly one" in str(response.json()["errors"])


def test_readers_and_anonymous_clients_may_not_ingest(server):
    client = APIClient()
    assert client.post(URL, {"url": f"{server}/article"}, format="json").status_code == 401
    client.force_authenticate(UserFactory())
    assert client.post(URL, {"url": f"{server}/article"}, format="json").status_code == 403
    assert not Ingestion.objects.exists()
