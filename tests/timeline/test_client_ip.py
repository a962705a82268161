"""One notion of the client behind proxies (TIMELINE_TRUSTED_PROXIES), for throttles, login
lockouts and logs; with no trusted proxy X-Forwarded-For is ignored, since anyone can send it."""

import logging

import pytest
from django.test import RequestFactory
from rest_framework.throttling import AnonRateThrottle

from timeline.client_ip import ClientIPLogFilter, client_ip

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_per_minute(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})


def request_from(remote_addr, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **extra)


def test_by_default_no_proxy_is_trusted(settings):
    assert settings.TIMELINE_TRUSTED_PROXIES == 0
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    assert client_ip(request_from("192.0.2.1", "198.51.100.9")) == "192.0.2.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.9", "198.51.100.9"),
        (1, "6.6.6.6, 198.51.100.9", "198.51.100.9"),  # the client's own prefix is not believed
        (2, "6.6.6.6, 198.51.100.9, 10.0.0.3", "198.51.100.9"),
        (2, "198.51.100.9", "198.51.100.9"),
        (1, "", "10.0.0.2"),
        (1, " , ", "10.0.0.2"),
    ],
)
def test_with_trusted_proxies_the_address_the_outermost_proxy_saw_is_the_client(
    settings, proxies, forwarded, expected
):
    settings.TIMELINE_TRUSTED_PROXIES = proxies
    assert client_ip(request_from("10.0.0.2", forwarded)) == expected


def test_varying_x_forwarded_for_gets_no_extra_anonymous_quota(client, two_per_minute):
    for number in range(2):
        response = client.get("/api/v1/actors/", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
        assert response.status_code == 200
    for number in range(2, 12):
        response = client.get("/api/v1/actors/", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
        assert response.status_code == 429


def test_behind_one_trusted_proxy_each_forwarded_client_has_its_own_quota(
    client, settings, two_per_minute
):
    settings.TIMELINE_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(2):
        assert client.get("/api/v1/actors/", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    throttled = client.get("/api/v1/actors/", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    assert throttled.status_code == 429
    other = client.get("/api/v1/actors/", HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert other.status_code == 200
    # A client prefixing its own addresses still counts as itself.
    forged = client.get("/api/v1/actors/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1", **proxy)
    assert forged.status_code == 429


def test_log_records_name_the_client(settings):
    settings.TIMELINE_TRUSTED_PROXIES = 1
    record = logging.LogRecord("django.request", logging.WARNING, "", 0, "Not Found", (), None)
    record.request = request_from("10.0.0.2", "198.51.100.9")
    assert ClientIPLogFilter().filter(record)
    assert record.client_ip == "198.51.100.9"
    plain = logging.LogRecord("events", logging.INFO, "", 0, "started", (), None)
    ClientIPLogFilter().filter(plain)
    assert plain.client_ip == "-"


def test_the_setting_comes_from_the_environment_and_refuses_a_negative_number():
    from tests.timeline.test_settings import PRODUCTION_ENV, run_manage

    env = {**PRODUCTION_ENV, "TIMELINE_TRUSTED_PROXIES": "-1"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "TIMELINE_TRUSTED_PROXIES must be 0 or more" in result.stderr
