"""Anonymous clients are throttled (API_ANON_THROTTLE_RATE); authenticated curators are not."""

import pytest
from rest_framework.throttling import AnonRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_per_minute(monkeypatch):
    # The rate is read into the class when DRF loads, so patch it there rather than settings.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})


def test_the_third_anonymous_request_in_a_minute_is_a_429_with_retry_after(client, two_per_minute):
    assert client.get("/api/v1/actors/").status_code == 200
    assert client.get("/api/v1/sources/").status_code == 200
    response = client.get("/api/v1/votes/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"].lower()


def test_throttling_counts_per_client_address(client, two_per_minute):
    for _ in range(2):
        client.get("/api/v1/actors/", REMOTE_ADDR="192.0.2.1")
    assert client.get("/api/v1/actors/", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/api/v1/actors/", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_authenticated_clients_are_not_throttled(curator_client, two_per_minute):
    for _ in range(5):
        assert curator_client.get("/api/v1/actors/").status_code == 200


def test_the_default_rate_comes_from_the_environment_setting(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"] == "120/minute"
