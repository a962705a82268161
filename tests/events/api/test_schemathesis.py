"""Property-based: schemathesis drives every operation of the schema through the WSGI app.

For each operation (every endpoint and method) it generates requests from the schema itself and
checks that none gets a server error and that every answer (status code, content type, headers
and body) is what the schema documents. It runs once as an anonymous reader and once as an
editor with a token, on the demo data. Bounded to a few examples per operation so the file
stays within a couple of minutes per database.
"""

import json
from io import StringIO

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from knox.models import AuthToken
from rest_framework.throttling import AnonRateThrottle

from events import fetching
from timeline.wsgi import application

MAX_EXAMPLES = 3
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]
HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure here is reproducible
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _load_schema():
    # Built in-process (no request, no database) when the module is collected.
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = application  # requests go through the WSGI app, middleware and all
    return loaded


schema = _load_schema()


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module and rolled back after it (like setUpTestData)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _unresolved(url: str, host: str, port: int):
    raise fetching.FetchRefused(f"The host name {host} could not be resolved.", url=url)


@pytest.fixture(autouse=True)
def each_example_on_the_demo_data(demo_data, db, monkeypatch):
    # Throttling is tested on its own; here every example should reach the view.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute"})
    # POST /ingestions/ fetches the URLs it is given: no name is looked up outside (no network
    # in tests), so every generated host answers as one that does not resolve.
    monkeypatch.setattr(fetching, "_resolve", _unresolved)
    # Like Django's test client: the WSGI app must not close the test's connection (and
    # with it the transaction the test runs in) at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@HYPOTHESIS
def test_anonymous_readers_never_get_a_server_error_or_an_undocumented_answer(case):
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def editor_token(editor) -> str:
    return AuthToken.objects.create(user=editor)[1]


@schema.parametrize()
@HYPOTHESIS
def test_editors_writing_never_get_a_server_error_or_an_undocumented_answer(case, editor_token):
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Token {editor_token}"})
