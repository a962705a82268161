"""The read-replica router: which alias each read and write goes to, and a real round trip."""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from events.models import Event
from tests.factories import PublishedEventFactory, UserFactory
from timeline.db_router import PrimaryPinningMiddleware, ReplicaRouter, is_public_request

# The router reads the alias list from settings; connections are not rebuilt, nor need to be.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES:UserWarning")

TWO_REPLICAS = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
    "replica_0": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
    "replica_1": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
}
ROUTED_MIDDLEWARE = [
    *settings.MIDDLEWARE,
    "timeline.db_router.PrimaryPinningMiddleware",
]


def read_alias_during(request) -> str:
    """The alias the router picks for a read made while the middleware handles `request`."""
    seen = []

    def view(request):
        seen.append(ReplicaRouter().db_for_read(Event))
        return None

    PrimaryPinningMiddleware(view)(request)
    return seen[0]


@pytest.fixture
def rf():
    return RequestFactory()


@override_settings(DATABASES=TWO_REPLICAS)
def test_it_sends_an_anonymous_public_read_to_a_replica(rf):
    request = rf.get("/api/v1/events/")
    request.user = _anonymous()
    assert read_alias_during(request) in {"replica_0", "replica_1"}


@override_settings(DATABASES=TWO_REPLICAS)
def test_it_spreads_public_reads_over_every_replica(rf):
    request = rf.get("/api/v1/events/")
    request.user = _anonymous()
    assert {read_alias_during(request) for _ in range(200)} == {"replica_0", "replica_1"}


@override_settings(DATABASES=TWO_REPLICAS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_keeps_every_read_of_a_write_request_on_the_primary(rf, method):
    request = getattr(rf, method)("/api/v1/events/")
    request.user = _anonymous()
    assert read_alias_during(request) == "default"


@override_settings(DATABASES=TWO_REPLICAS)
def test_it_keeps_the_admin_on_the_primary(rf):
    request = rf.get("/admin/events/event/")
    request.user = _anonymous()
    assert read_alias_during(request) == "default"


@override_settings(DATABASES=TWO_REPLICAS)
def test_it_keeps_logged_in_users_on_the_primary(rf):
    request = rf.get("/api/v1/events/")
    request.user = _authenticated()
    assert read_alias_during(request) == "default"


@override_settings(DATABASES=TWO_REPLICAS)
def test_it_keeps_token_clients_on_the_primary(rf):
    request = rf.get("/api/v1/events/", HTTP_AUTHORIZATION="Token abc")
    request.user = _anonymous()
    assert not is_public_request(request)
    assert read_alias_during(request) == "default"


@override_settings(DATABASES=TWO_REPLICAS)
def test_it_reads_the_primary_outside_a_request():
    assert ReplicaRouter().db_for_read(Event) == "default"


@override_settings(DATABASES=TWO_REPLICAS)
def test_it_forgets_the_public_mark_once_the_request_ends(rf):
    request = rf.get("/api/v1/events/")
    request.user = _anonymous()
    read_alias_during(request)
    assert ReplicaRouter().db_for_read(Event) == "default"


@override_settings(DATABASES=TWO_REPLICAS)
def test_it_writes_and_migrates_only_on_the_primary(rf):
    router = ReplicaRouter()
    request = rf.get("/api/v1/events/")
    request.user = _anonymous()
    PrimaryPinningMiddleware(lambda r: router.db_for_write(Event))(request)
    assert router.db_for_write(Event) == "default"
    assert router.allow_migrate("default", "events") is True
    assert router.allow_migrate("replica_0", "events") is False
    assert router.allow_relation(object(), object()) is True


def test_it_reads_the_primary_when_no_replica_is_configured(rf):
    assert list(settings.DATABASES) == ["default"]  # DATABASE_REPLICA_URLS is unset in tests
    request = rf.get("/api/v1/events/")
    request.user = _anonymous()
    assert read_alias_during(request) == "default"


@contextmanager
def mirror_alias(alias: str):
    """A second connection to the test database, as a TEST MIRROR replica would be.

    It is registered as a connection only (not in the connection settings), which Django's
    test case treats as a dynamically created connection, so it may be used in this test.
    """
    settings_dict = {**connections["default"].settings_dict}
    replica = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    connections[alias] = replica
    try:
        with override_settings(
            DATABASES={**settings.DATABASES, alias: settings_dict},
            DATABASE_ROUTERS=["timeline.db_router.ReplicaRouter"],
            MIDDLEWARE=ROUTED_MIDDLEWARE,
        ):
            yield replica
    finally:
        replica.close()
        del connections[alias]


@pytest.mark.django_db(transaction=True)
def test_a_public_api_read_really_queries_the_replica_and_a_write_the_primary(client):
    event = PublishedEventFactory(title="Replica round trip")
    with mirror_alias("replica_0") as replica:
        with (
            CaptureQueriesContext(replica) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            response = client.get("/api/v1/events/")
        assert response.status_code == 200
        assert event.slug in response.content.decode()
        assert any("events_event" in q["sql"] for q in on_replica.captured_queries)
        assert not any("events_event" in q["sql"] for q in on_primary.captured_queries)

        with (
            CaptureQueriesContext(replica) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            response = client.post("/api/v1/events/", {}, content_type="application/json")
        assert response.status_code in (401, 403)
        assert on_replica.captured_queries == []


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _authenticated():
    return UserFactory.build()
