"""The schema and the API agree on which requests are valid (schemathesis' ST201 and ST202).

`make fuzz-conformance` measures it over HTTP; these pin each mismatch it found, fixed.
"""

import json
import re
import tomllib
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from tests.factories import PersonFactory, PublishedEventFactory, StateFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
FILTERED_LISTS = ["/api/v1/events/", "/api/v1/actors/{slug}/events/", "/api/v1/timeline/"]


@pytest.fixture(scope="module")
def schema() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


def query_parameters(schema: dict, path: str) -> dict[str, dict]:
    parameters = schema["paths"][path]["get"].get("parameters", [])  # /types/ takes none
    return {p["name"]: p for p in parameters if p["in"] == "query"}


@pytest.mark.parametrize("path", FILTERED_LISTS)
def test_the_schema_says_every_filter_and_page_parameter_may_be_empty(schema, path):
    parameters = query_parameters(schema, path)
    for name in ["updated_since", "from", "to", "actor", "type", "cursor", "page_size"]:
        if name in parameters:  # the grouped timeline has no pages
            assert parameters[name].get("allowEmptyValue") is True, name
    assert parameters["updated_since"]["schema"]["format"] == "date-time"


@pytest.mark.parametrize(
    "query",
    ["updated_since=", "from=&to=", "actor=&type=&country=&timeline=&q=", "cursor=&page_size="],
)
def test_it_reads_an_empty_filter_as_not_given(client, query):
    person = PersonFactory()
    event = PublishedEventFactory()
    event.participations.create(actor=person, role="initiator")
    for path in ["/api/v1/events/", f"/api/v1/actors/{person.slug}/events/"]:
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, (path, response.content)
        assert [row["slug"] for row in response.json()["results"]] == [event.slug]
    assert client.get(f"/api/v1/timeline/?{query}").status_code == 200


def test_every_parameter_the_schema_lets_be_empty_is_read_as_not_given(schema, client):
    # schemathesis.toml lets some reads answer 400 to schema-valid requests (unknown
    # references), which would also hide an empty filter refused: this covers every one.
    person = PersonFactory()
    event = PublishedEventFactory()
    event.participations.create(actor=person, role="initiator")
    checked = []
    for path, item in schema["paths"].items():
        if "get" not in item:
            continue
        for name, parameter in query_parameters(schema, path).items():
            if parameter.get("allowEmptyValue"):
                slug = event.slug if path.startswith("/api/v1/events/") else person.slug
                url = path.replace("{slug}", slug)
                response = client.get(f"{url}?{name}=")
                assert response.status_code == 200, (url, name, response.content)
                checked.append(name)
    assert {"kind", "role", "verification", "option", "updated_since", "format"} <= set(checked)


def test_an_empty_choice_among_given_ones_is_ignored(client):
    event = PublishedEventFactory(verification="confirmed")
    PublishedEventFactory(verification="disputed")
    response = client.get("/api/v1/events/?verification=confirmed&verification=")
    assert [row["slug"] for row in response.json()["results"]] == [event.slug]


def test_an_updated_since_that_is_not_a_date_time_is_still_refused(client):
    response = client.get("/api/v1/events/?updated_since=yesterday")
    assert response.status_code == 400
    assert "updated_since" in response.json()["errors"]


def test_the_schema_gives_alignment_dates_the_pattern_the_api_enforces(schema, client):
    parameters = query_parameters(schema, "/api/v1/alignment/")
    for name in ["from", "to"]:
        pattern = re.compile(parameters[name]["schema"]["pattern"])
        assert pattern.search("2020-03-15") and pattern.search("2020")
        assert not pattern.search("0") and not pattern.search("0000")
    a, b = StateFactory(iso3="AAA"), StateFactory(iso3="BBB")
    response = client.get(f"/api/v1/alignment/?a={a.slug}&b={b.slug}&from=0")
    assert response.status_code == 400
    assert "from" in response.json()["errors"]
    assert client.get(f"/api/v1/alignment/?a={a.slug}&b={b.slug}&from=2020").status_code == 200


def test_the_checker_accepts_a_400_only_on_reads_that_resolve_references(schema):
    # schemathesis.toml lets these answer a well-formed but unknown reference with a 400;
    # each must be a real read operation that documents that 400.
    config = tomllib.loads((ROOT / "schemathesis.toml").read_text())
    reads, writes, actions = config["operations"]
    assert reads["checks"]["positive_data_acceptance"]["expected-statuses"].count("400") == 1
    for name in reads["include-name"]:
        method, path = name.split(" ")
        assert method == "GET"
        assert "400" in schema["paths"][path]["get"]["responses"], name
    # Writes may answer only the concurrency preconditions besides the defaults, and each
    # documents them; the state-dependent actions also their documented 400.
    assert set(writes["include-method"]) == {"PUT", "PATCH", "DELETE"}
    assert "400" not in writes["checks"]["positive_data_acceptance"]["expected-statuses"]
    for path, item in schema["paths"].items():
        for method in ("put", "patch", "delete"):
            if method in item:
                assert {"412", "428"} <= set(item[method]["responses"]), (method, path)
    for name in actions["include-name"]:
        method, path = name.split(" ")
        assert method == "POST" and path.endswith(("/publish/", "/unpublish/", "/retract/"))
        assert "400" in schema["paths"][path]["post"]["responses"], name


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("actor=no-such-actor", "actor"),
        ("country=no-such-state", "country"),
        ("type=no-such-type", "type"),
        ("timeline=no-such-timeline", "timeline"),
        ("cursor=bm90LWEtY3Vyc29y", "cursor"),
        ("ordering=relevance", "ordering"),
    ],
)
def test_a_well_formed_reference_to_nothing_is_a_400_that_names_it(client, query, field):
    response = client.get(f"/api/v1/events/?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]


# Found by the long run (`make fuzz`, 3 December 2026) on operations added after the
# conformance run: the changes feed's `since`, and a method the schema does not list.


def test_the_changes_feed_reads_an_empty_since_and_limit_as_not_given(schema, client):
    parameters = query_parameters(schema, "/api/v1/events/changes/")
    assert parameters["since"].get("allowEmptyValue") is True
    assert parameters["limit"].get("allowEmptyValue") is True
    response = client.get("/api/v1/events/changes/?since=&limit=")
    assert response.status_code == 200, response.content
    assert response.json()["more"] is False


def test_the_schema_says_what_since_accepts_a_cursor_or_a_date_time(schema, client):
    since = query_parameters(schema, "/api/v1/events/changes/")["since"]["schema"]
    assert {"type": "string", "pattern": "^[0-9]+$"} in since["oneOf"]
    assert {"type": "string", "format": "date-time"} in since["oneOf"]
    for good in ["0", "12", "2025-03-01T12:00:00Z", "2025-03-01T12:00:00%2B02:00"]:
        assert client.get(f"/api/v1/events/changes/?since={good}").status_code == 200, good
    for bad in [".exe", "yesterday", "-1"]:
        response = client.get(f"/api/v1/events/changes/?since={bad}")
        assert response.status_code == 400, bad
        assert "since" in response.json()["errors"]


@pytest.mark.parametrize("path", ["/api/v1/events/", "/api/v1/actors/someone/events/"])
def test_a_method_the_schema_does_not_list_is_405_whatever_the_format(client, path):
    response = client.generic("TRACE", f"{path}?format=atom")
    assert response.status_code == 405, response.content
    assert response["Content-Type"].startswith("application/json")


def test_reads_anyone_may_make_say_authentication_is_optional(schema):
    # Without `{}`, schemathesis' ST401 expects a 401 for a request without credentials.
    for path in ["/api/v1/events/", "/api/v1/events/{slug}/", "/api/v1/actors/{slug}/"]:
        assert {} in schema["paths"][path]["get"]["security"], path
    assert {} not in schema["paths"]["/api/v1/events/"]["post"]["security"]


def test_an_actors_events_document_every_format_the_event_list_does(schema):
    # ST105: ?format=timelinejs answered a media type the actor's events did not document.
    listed = schema["paths"]["/api/v1/events/"]["get"]["responses"]["200"]["content"]
    actor = schema["paths"]["/api/v1/actors/{slug}/events/"]["get"]["responses"]
    assert set(actor["200"]["content"]) == set(listed)
    assert "application/vnd.timelinejs+json" in listed
    assert {"304", "404"} <= set(actor)


def test_an_empty_format_is_json_on_every_read_that_offers_formats(schema, client):
    event = PublishedEventFactory()
    for path, item in schema["paths"].items():
        formats = query_parameters(schema, path).get("format") if "get" in item else None
        if formats:
            assert formats.get("allowEmptyValue") is True, path
    response = client.get(f"/api/v1/events/{event.slug}/?format=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
