"""REDIS_URL: one cache for every worker and app server (throttling counts, facet counts).

The round trips need a Redis server: REDIS_TEST_URL, by default database 15 of the local one
(.ci/run starts it when it is down). Without one they are skipped, and say so.
"""

import os
import uuid

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

from tests.factories import PublishedEventFactory
from timeline.env import cache_config

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(
    not redis_available(), reason=f"no Redis server at {REDIS_TEST_URL}"
)


def test_without_redis_url_each_process_has_its_own_memory_cache():
    assert cache_config("")["default"]["BACKEND"].endswith("LocMemCache")


def test_redis_url_selects_redis_that_degrades_instead_of_failing():
    config = cache_config("redis://cache.internal:6379/2")["default"]
    assert config["BACKEND"] == "django_redis.cache.RedisCache"
    assert config["LOCATION"] == "redis://cache.internal:6379/2"
    assert config["OPTIONS"]["IGNORE_EXCEPTIONS"] is True


def test_a_redis_url_that_is_not_one_is_refused_with_the_reason():
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must start with redis://"):
        cache_config("http://cache.internal:6379")


@pytest.fixture
def redis_cache(settings):
    """The default cache on the test Redis, under a key prefix of this test's own."""
    config = cache_config(REDIS_TEST_URL)
    config["default"]["KEY_PREFIX"] = f"timeline-test-{uuid.uuid4().hex}"
    settings.CACHES = config  # pytest-django's settings fixture resets the cache handler
    yield caches["default"]
    caches["default"].delete_pattern("*")


def another_server():
    """A cache client of its own, as another app server built from the same settings has."""
    return caches.create_connection("default")


@needs_redis
@pytest.mark.django_db
def test_facet_counts_computed_by_one_server_are_read_by_the_others(client, redis_cache):
    PublishedEventFactory()
    response = client.get("/api/v1/timeline/?group_by=year")
    assert response.status_code == 200
    stored = list(another_server().keys("timeline-aggregates:*"))
    assert len(stored) == 1
    assert another_server().get(stored[0])["facets"] == response.json()["facets"]


@needs_redis
@pytest.mark.django_db
def test_throttling_counts_are_shared_by_every_server(client, redis_cache):
    for _ in range(3):
        assert client.get("/api/v1/events/").status_code == 200
    history = another_server().get("throttle_anon_127.0.0.1")
    assert len(history) == 3


@pytest.mark.django_db
def test_a_redis_outage_degrades_to_uncached_reads_not_errors(client, settings):
    settings.CACHES = cache_config("redis://127.0.0.1:1/0")  # nothing listens on port 1
    PublishedEventFactory()
    assert client.get("/api/v1/timeline/?group_by=year").status_code == 200
    assert client.get("/api/v1/events/").status_code == 200
