"""CORS: any origin may read /api/ without credentials; other paths send no CORS headers."""

import pytest

pytestmark = pytest.mark.django_db

ORIGIN = "https://newsroom.example.org"


@pytest.mark.parametrize(
    "url", ["/api/v1/actors/", "/api/v1/votes/", "/api/v1/timelines/", "/api/schema/"]
)
def test_any_origin_may_read_the_api(client, url):
    response = client.get(url, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.has_header("Access-Control-Allow-Credentials")


def test_a_preflight_is_answered_without_credentials(client):
    response = client.options(
        "/api/v1/actors/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    allowed = response["Access-Control-Allow-Headers"].lower()
    assert {"if-none-match", "if-modified-since", "if-match"} <= set(allowed.split(", "))
    assert not response.has_header("Access-Control-Allow-Credentials")


def test_other_origins_can_read_the_etag_paging_links_and_retry_after(client):
    response = client.get("/api/v1/actors/", HTTP_ORIGIN=ORIGIN)
    exposed = response["Access-Control-Expose-Headers"].lower().split(", ")
    assert {"etag", "link", "retry-after"} <= set(exposed)


def test_errors_are_readable_cross_origin_too(client):
    response = client.get("/api/v1/actors/atlantis/", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"


def test_paths_outside_the_api_send_no_cors_headers(client):
    response = client.get("/admin/login/", HTTP_ORIGIN=ORIGIN)
    assert not response.has_header("Access-Control-Allow-Origin")
