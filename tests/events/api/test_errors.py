"""Every API error is JSON that says what is wrong: the exception handler, case by case."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework.exceptions import Throttled
from rest_framework.test import APIRequestFactory

from events.api.exceptions import api_exception_handler, summarise
from events.models import Actor, ConcurrentEditError
from tests.factories import (
    ActorFactory,
    ParticipationFactory,
    PublishedEventFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


def handle(exc):
    request = APIRequestFactory().get("/api/v1/actors/")
    response = api_exception_handler(exc, {"request": request, "view": None})
    assert response is not None
    return response


def test_a_django_validation_error_per_field_becomes_a_400_per_field():
    response = handle(ValidationError({"iso3": ["Only states carry an ISO 3166 code."]}))
    assert response.status_code == 400
    assert response.data == {
        "detail": "Invalid input: iso3: Only states carry an ISO 3166 code.",
        "errors": {"iso3": ["Only states carry an ISO 3166 code."]},
    }


def test_a_django_validation_error_for_the_whole_object_lands_in_non_field_errors():
    response = handle(ValidationError("“X” cannot be published: it needs a source."))
    assert response.status_code == 400
    assert response.data["errors"] == {
        "non_field_errors": ["“X” cannot be published: it needs a source."]
    }
    assert response.data["detail"] == "Invalid input: “X” cannot be published: it needs a source."


def test_the_summary_names_the_first_problem_and_counts_the_rest():
    errors = {"a": ["Required."], "b": ["Bad."], "rows": [{}, {"actor": ["Unknown."]}]}
    assert summarise(errors) == "Invalid input: a: Required. (and 2 more, see “errors”)."


def test_permission_denied_is_a_403_with_the_services_message():
    response = handle(PermissionDenied("Only editors may publish."))
    assert (response.status_code, response.data) == (403, {"detail": "Only editors may publish."})


def test_http404_is_a_json_404():
    response = handle(Http404("No such thing."))
    assert (response.status_code, response.data) == (404, {"detail": "No such thing."})


def test_a_concurrent_edit_is_a_409_that_says_what_to_do():
    actor = ActorFactory(name="NATO")
    response = handle(ConcurrentEditError(actor))
    assert response.status_code == 409
    assert "“NATO” was changed by someone else" in response.data["detail"]


def test_a_protected_delete_is_a_409_naming_what_uses_the_object():
    state = StateFactory(name="Genovia")
    ParticipationFactory(actor=state, event__title="Coronation")
    with pytest.raises(Exception) as caught:
        Actor.objects.filter(pk=state.pk).delete()
    response = handle(caught.value)
    assert response.status_code == 409
    assert response.data["detail"] == (
        "“Genovia” is used by 1 event (“Coronation”): remove those references first."
    )


def test_a_check_constraint_violation_is_a_400_with_the_constraints_message():
    error = IntegrityError("CHECK constraint failed: events_event_end_after_start")
    response = handle(error)
    assert response.status_code == 400
    assert response.data["errors"] == {
        "non_field_errors": ["The end date cannot be before the start date."]
    }


def test_a_unique_violation_is_a_409_with_the_constraints_message():
    error = IntegrityError(
        'duplicate key value violates unique constraint "events_citation_unique_locator"'
    )
    response = handle(error)
    assert response.status_code == 409
    assert response.data["detail"].startswith(
        "This source is already cited at this place for the event."
    )


def test_an_unknown_integrity_error_is_still_a_clear_4xx_not_a_500():
    response = handle(IntegrityError("NOT NULL constraint failed: something"))
    assert response.status_code == 400
    assert response.data["errors"]["non_field_errors"] == ["The change breaks a rule of the data."]


def test_throttling_keeps_its_retry_after_header():
    response = handle(Throttled(wait=42))
    assert response.status_code == 429
    assert response["Retry-After"] == "42"
    assert "42 seconds" in response.data["detail"]


def test_an_unexpected_exception_is_left_to_django():
    request = APIRequestFactory().get("/")
    assert api_exception_handler(RuntimeError("bug"), {"request": request, "view": None}) is None


# Through real requests ----------------------------------------------------------------


def test_an_unknown_filter_value_is_a_json_400_through_http(client):
    response = client.get("/api/v1/actors/", {"kind": "planet"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("Invalid input: kind: Select a valid choice.")
    assert "planet" in body["errors"]["kind"][0]


def test_a_method_not_allowed_is_json(client):
    response = client.post("/api/v1/alignment/")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}


def test_an_unknown_format_is_a_400_naming_the_formats(client):
    StateFactory(slug="usa-state", iso3="USA")
    response = client.get("/api/v1/actors/usa/events/", {"format": "pdf"})
    assert response.status_code == 400
    assert "csv" in response.json()["errors"]["format"][0]


def test_malformed_json_is_a_json_400(editor_client):
    response = editor_client.post("/api/v1/actors/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_stale_version_in_the_body_is_a_409(editor_client):
    actor = ActorFactory(slug="nato")
    response = editor_client.patch(
        "/api/v1/actors/nato/",
        {"name": "NATO", "version": actor.version - 1 or 99},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/actors/",
        "/api/v1/actors/usa/",
        "/api/v1/actors/usa/events/",
        "/api/v1/sources/",
        "/api/v1/votes/",
        "/api/v1/timelines/",
        "/api/v1/alignment/?a=usa&b=rus",
        "/api/v1/events/",
    ],
)
def test_the_browsable_api_renders_every_endpoint(client, url):
    usa = StateFactory(slug="united-states", iso3="USA")
    StateFactory(slug="russia", iso3="RUS")
    ParticipationFactory(event=PublishedEventFactory(), actor=usa)  # readers see public actors
    response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_an_unknown_api_address_is_a_json_404(client):
    for url in ("/api/v1/nothing/", "/api/v1/sources/not-a-number/", "/api/v1/votes/%C2%84/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "/api/docs/" in response.json()["detail"]


def test_unknown_addresses_outside_the_api_stay_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_a_body_that_is_not_json_is_a_400_in_the_usual_shape(editor_client):
    response = editor_client.post("/api/v1/sources/", b"\x13ho", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {"non_field_errors": [body["detail"]]}


def test_null_characters_are_a_400_not_a_database_error(client, editor_client):
    StateFactory(slug="united-states", iso3="USA")
    response = client.get("/api/v1/alignment/", {"a": "usa", "b": "r\x00s"})
    assert response.status_code == 400
    assert client.get("/api/v1/votes/", {"actor": "u\x00sa"}).status_code == 400
    assert client.get("/api/v1/actors/a%00b/").status_code == 404
    response = editor_client.post(
        "/api/v1/timelines/",
        {"slug": "t", "title": "T", "entries": [{"event": "e\x00"}]},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_a_value_the_database_cannot_store_is_a_400_in_the_handler():
    from django.db import DataError

    response = handle(DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes"))
    assert response.status_code == 400


# No 500 from input, and JSON whatever the cause -----------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/votes/?body=%25", "body"),
        ("/api/v1/votes/?actor=%25", "actor"),
        ("/api/v1/votes/?from=%25", "from"),
        ("/api/v1/votes/?to=%25d", "to"),
        ("/api/v1/actors/?parent=%25s", "parent"),
        ("/api/v1/events/?actor=100%25", "actor"),
        ("/api/v1/events/?from=%25(x)s", "from"),
        ("/api/v1/events/?timeline=%25", "timeline"),
    ],
)
def test_a_percent_sign_in_a_filter_value_is_a_400_quoting_it(client, url, field):
    response = client.get(url)
    assert response.status_code == 400
    message = response.json()["errors"][field][0]
    assert "%" in message


def test_json_nested_too_deep_is_a_json_400_naming_the_limit(editor_client):
    body = "[" * 1000 + "]" * 1000
    response = editor_client.post("/api/v1/actors/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested more than 64 levels" in response.json()["detail"]
    deep_enough = '{"a":' * 65 + "1" + "}" * 65
    response = editor_client.post("/api/v1/sources/", deep_enough, content_type="application/json")
    assert response.status_code == 400


def test_json_at_the_depth_limit_is_read_as_usual(editor_client):
    nested = '{"a":' * 62 + "1" + "}" * 62
    body = '{"slug": "x", "name": "X", "kind": "state", "aliases": [' + nested + "]}"
    response = editor_client.post("/api/v1/actors/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" not in response.json()["detail"]


def test_a_json_body_over_the_upload_limit_is_a_json_413(editor_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"name": "' + "x" * 2000 + '"}'
    response = editor_client.post("/api/v1/actors/", body, content_type="application/json")
    assert response.status_code == 413
    assert "larger than 1,000 bytes" in response.json()["detail"]


def test_a_form_encoded_body_is_a_json_415_that_says_to_send_json(editor_client):
    response = editor_client.post(
        "/api/v1/actors/", "name=Someone&kind=person",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 415
    assert "application/x-www-form-urlencoded" in response.json()["detail"]


def test_a_bad_token_on_a_public_read_is_a_401_with_www_authenticate(client):
    response = client.get("/api/v1/actors/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Invalid token."}


def test_a_token_that_is_not_text_is_a_401_not_a_500(client):
    response = client.get("/api/v1/actors/", HTTP_AUTHORIZATION="Token \xff\xfe")
    assert response.status_code == 401


def test_trace_is_a_json_405(client):
    response = client.generic("TRACE", "/api/v1/events/")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "TRACE" not allowed.'}


def test_an_unacceptable_accept_header_is_a_json_406(client):
    response = client.get("/api/v1/actors/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_an_unsupported_body_type_is_a_json_415(editor_client):
    response = editor_client.post("/api/v1/actors/", "<a/>", content_type="application/xml")
    assert response.status_code == 415
    assert "application/xml" in response.json()["detail"]


def test_a_bug_under_the_api_is_a_json_500_and_elsewhere_html(monkeypatch):
    from django.test import Client

    from events.api import actor_views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(actor_views.ActorViewSet, "list", broken)
    monkeypatch.setattr("embeds.views.home", broken, raising=False)
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/actors/")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Something went wrong on our side; it has been logged. Try again later."
    }
    assert "a bug" not in response.content.decode()


def test_django_level_errors_outside_the_api_stay_html(rf):
    from django.core.exceptions import RequestDataTooBig

    from events.api.exceptions import bad_request, permission_denied, server_error

    page = rf.get("/events/")
    for response in (
        bad_request(page, RequestDataTooBig()),
        permission_denied(page, PermissionDenied()),
        server_error(page),
    ):
        assert response["Content-Type"].startswith("text/html")
    api = rf.get("/api/v1/events/")
    assert bad_request(api, RequestDataTooBig()).status_code == 413
    assert permission_denied(api, PermissionDenied("No.")).status_code == 403
    assert server_error(api)["Content-Type"] == "application/json"


def test_a_number_beyond_a_floats_range_is_a_400(editor_client):
    actor = ActorFactory(slug="nato")
    body = '{"name": "NATO", "version": 1e400}'
    response = editor_client.patch("/api/v1/actors/nato/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "JSON parse error - a number is too large."
    assert actor.version == type(actor).objects.get(pk=actor.pk).version


def test_a_body_without_a_length_is_still_held_to_the_upload_limit(settings):
    import io

    from events.api.parsers import JSONParser, RequestTooLarge

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    with pytest.raises(RequestTooLarge):
        JSONParser().parse(io.BytesIO(b'{"a": "' + b"x" * 200 + b'"}'))
    assert JSONParser().parse(io.BytesIO(b'{"a": 1}')) == {"a": 1}


def test_the_schema_allows_exactly_the_dates_the_api_reads(client):
    import json
    import re

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    generated = SchemaGenerator().get_schema(request=None, public=True)
    schema = json.loads(OpenApiJsonRenderer().render(generated))
    parameters = schema["paths"]["/api/v1/events/"]["get"]["parameters"]
    pattern = next(p["schema"]["pattern"] for p in parameters if p["name"] == "from")
    for value in ("0000", "2025-13", "2025-12-32", "2025-00", "20250"):
        assert not re.match(pattern, value), value
        assert client.get("/api/v1/events/", {"from": value}).status_code == 400
    for value in ("", "0001", "2025", "2025-12", "2025-12-31"):
        assert re.match(pattern, value), value
        assert client.get("/api/v1/events/", {"from": value}).status_code == 200
