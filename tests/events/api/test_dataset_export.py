"""/api/v1/export.jsonl: the public export_dataset, streamed to anyone, with no draft in it."""

import pytest

from events.dataset.jsonl import jsonl_lines

pytestmark = pytest.mark.django_db
URL = "/api/v1/export.jsonl"


def test_anyone_can_stream_the_public_dataset(client, export_dataset):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/jsonl"
    assert "timeline-dataset.jsonl" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body == b"".join(jsonl_lines(include_drafts=False))
    assert b"draft-plan" not in body and b"secret-state" not in body


def test_a_logged_in_curator_gets_the_public_dataset_too(curator_client, export_dataset):
    body = b"".join(curator_client.get(URL).streaming_content)
    assert b"draft-plan" not in body
    assert body.startswith(
        b'{"type":"dataset","format":"timeline-dataset","version":1,"scope":"public"}'
    )


def test_it_answers_304_while_nothing_public_changed(client, export_dataset):
    etag = client.get(URL)["ETag"]
    assert client.get(URL, headers={"if-none-match": etag}).status_code == 304
    export_dataset["draft"].title = "Still a draft"
    export_dataset["draft"].save()
    assert client.get(URL, headers={"if-none-match": etag}).status_code == 304
    export_dataset["summit"].title = "Renamed summit"
    export_dataset["summit"].save()
    response = client.get(URL, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert b"Renamed summit" in b"".join(response.streaming_content)


def test_it_is_json_lines_whatever_the_client_accepts(client, export_dataset):
    response = client.get(URL, headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jsonl"


def test_the_schema_documents_it(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/export.jsonl" in schema
    assert "application/jsonl" in schema
