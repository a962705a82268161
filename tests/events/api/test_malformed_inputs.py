"""The malformed-input corpus: hundreds of hostile requests, and not one 5xx.

tests/data/malformed_inputs.json holds the bad values (query values, bodies, content types,
methods, Authorization and If-Match headers, Accept headers, formats); this module expands
them over every operation of the OpenAPI schema, deterministically (each operation takes the
next values in turn, so every value is used and the run stays short), and sends each case
once as an anonymous reader and once as an editor with a token, on the demo data. Every
answer must be below 500, and every error under /api/ JSON in the documented shape.
"""

import json
from io import StringIO
from itertools import cycle, islice
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from knox.models import AuthToken
from rest_framework.throttling import AnonRateThrottle

CORPUS = json.loads((Path(__file__).parents[2] / "data" / "malformed_inputs.json").read_text())
UPLOAD_LIMIT = 1_000_000  # small enough to build an oversized body quickly
WRITES = ("post", "put", "patch")


def _operations() -> list[tuple[str, str, dict]]:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    schema = json.loads(OpenApiJsonRenderer().render(generated))
    return [
        (method.upper(), path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


def _rotating(values: list, start: int, count: int) -> list:
    return list(islice(cycle(values), start * count, start * count + count))


def _body(spec: dict) -> bytes:
    if "deep" in spec:
        return ("[" * spec["deep"] + "]" * spec["deep"]).encode()
    if "wide" in spec:
        return ("[" + ",".join(["0"] * spec["wide"]) + "]").encode()
    if "body_hex" in spec:
        return bytes.fromhex(spec["body_hex"])
    if spec.get("oversized"):
        return b'{"name": "' + b"x" * UPLOAD_LIMIT + b'"}'
    return spec["body"].encode()


def build_cases() -> list[pytest.param]:
    operations = _operations()
    cases = []

    def add(kind, method, path, query=None, body=None, content_type="", headers=None):
        url = path + ("?" + urlencode(query) if query is not None else "")
        case = (method, url, body, content_type, headers or {})
        cases.append(pytest.param(*case, id=f"{kind}-{len(cases)}-{method}-{path}"))

    parameter_index = 0
    for method, path, operation in operations:
        if method != "GET":
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            count = CORPUS["values_per_parameter"]
            for value in _rotating(CORPUS["query_values"], parameter_index, count):
                add("query", method, path, {parameter["name"]: value})
            # Numbers beyond 64 bits reach the database only if a parameter forgets to bound
            # them: every parameter gets them.
            for value in CORPUS["values_for_every_parameter"]:
                add("query", method, path, {parameter["name"]: value})
            parameter_index += 1
        for value in CORPUS["formats"]:
            add("format", method, path, {"format": value})
        if "{" in path:  # a hostile identifier in place of the real one
            for value in CORPUS["path_values"]:
                add("path", method, path.replace("{slug}", value).replace("{id}", value))

    write_index = 0
    for method, path, _ in operations:
        if method.lower() not in WRITES:
            continue
        count = CORPUS["bodies_per_operation"]
        for spec in _rotating(CORPUS["bodies"], write_index, count):
            add("body", method, path, body=_body(spec), content_type=spec["content_type"])
        write_index += 1

    paths = sorted({path for _, path, _ in operations})
    for path in paths:
        for method in CORPUS["methods"]:
            add("method", method, path)

    reads = [(m, p) for m, p, _ in operations if m == "GET"]
    writes = [(m, p) for m, p, _ in operations if m in ("PATCH", "DELETE", "PUT")]
    for index, authorization in enumerate(CORPUS["authorizations"]):
        for method, path in _rotating(reads, index, 2) + _rotating(writes, index, 1):
            add("auth", method, path, headers={"HTTP_AUTHORIZATION": authorization})
    for index, if_match in enumerate(CORPUS["if_match"]):
        for method, path in _rotating(writes, index, 3):
            add(
                "if-match",
                method,
                path,
                body=b"{}",
                content_type="application/json",
                headers={"HTTP_IF_MATCH": if_match},
            )
    for index, accept in enumerate(CORPUS["accepts"]):
        for method, path in _rotating(reads, index, 3):
            add("accept", method, path, headers={"HTTP_ACCEPT": accept})
    return cases


CASES = build_cases()


def test_the_corpus_has_at_least_300_cases_and_covers_every_operation():
    assert len(CASES) >= 300
    covered = {(case.values[0], case.values[1].split("?")[0]) for case in CASES}
    for method, path, _ in _operations():
        assert (method, path) in covered


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield _path_values()
        transaction.set_rollback(True)


def _path_values() -> dict[str, str]:
    """A real object for each collection, so cases reach the views rather than a 404."""
    from events.models import Actor, Citation, Event, Participation, Source, Timeline, VoteRecord

    def key(queryset, field):
        value = queryset.order_by("pk").values_list(field, flat=True).first()
        return str(value) if value is not None else "unknown"

    return {
        "actors": key(Actor.objects, "slug"),
        "events": key(Event.objects, "slug"),
        "sources": key(Source.objects, "pk"),
        "timelines": key(Timeline.objects, "slug"),
        "votes": key(VoteRecord.objects, "pk"),
        "citations": key(Citation.objects, "pk"),
        "participations": key(Participation.objects, "pk"),
    }


def _resolve(url: str, values: dict[str, str]) -> str:
    collection = url.split("/")[3]
    value = values.get(collection, "unknown")
    return url.replace("{slug}", value).replace("{id}", value)


@pytest.fixture(autouse=True)
def _unthrottled(monkeypatch, settings):
    # Throttling is tested on its own; here every case should reach the view.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1000000/minute"})
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_LIMIT


@pytest.fixture(params=["anonymous", "editor"])
def role(request, db):
    if request.param == "anonymous":
        return {}
    editor = request.getfixturevalue("editor")
    return {"HTTP_AUTHORIZATION": f"Token {AuthToken.objects.create(user=editor)[1]}"}


@pytest.mark.parametrize(("method", "url", "body", "content_type", "headers"), CASES)
def test_no_malformed_request_gets_a_5xx_and_every_api_error_is_json(
    demo_data, role, method, url, body, content_type, headers
):
    client = Client(raise_request_exception=False)
    extra = {**role, **headers}
    response = client.generic(
        method, _resolve(url, demo_data), body or b"", content_type=content_type, **extra
    )
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/json", response.content[:200]
        error = response.json()
        assert isinstance(error["detail"], str) and error["detail"]
        if response.status_code == 400:
            assert isinstance(error["errors"], dict)
