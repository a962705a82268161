"""Write answers carry `warnings`: the records the one written may duplicate."""

import datetime as dt

import pytest

from events.models import Actor, Event
from tests.factories import (
    ActorFactory,
    EventFactory,
    ParticipationFactory,
    PublishedEventFactory,
    SourceFactory,
    StateFactory,
    event_type,
)

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_a_new_event_like_a_published_one_is_saved_with_a_likely_duplicate_warning(editor_client):
    talks = PublishedEventFactory(
        title="US and Russia hold talks in Riyadh",
        slug="riyadh-talks",
        start_date=dt.date(2025, 2, 18),
        event_type=event_type("bilateral-talks"),
    )
    ParticipationFactory(event=talks, actor=StateFactory())

    response = post(
        editor_client,
        "/api/v1/events/",
        {
            "title": "US and Russia hold talks in Riyadh",
            "slug": "riyadh-talks-2",
            "type": "bilateral-talks",
            "date": "18 Feb 2025",
        },
    )

    assert response.status_code == 201
    (warning,) = response.json()["warnings"]
    assert warning["code"] == "likely_duplicate"
    assert warning["reasons"][:2] == ["same title", "overlapping dates"]
    assert warning["record"] == {
        "kind": "event",
        "id": talks.pk,
        "slug": "riyadh-talks",
        "title": talks.title,
        "url": "http://testserver/api/v1/events/riyadh-talks/",
    }
    assert Event.objects.filter(slug="riyadh-talks-2").exists()  # warned, not refused


def test_an_event_with_nothing_like_it_has_no_warnings(editor_client):
    EventFactory(title="Summit in Paris")

    response = post(
        editor_client,
        "/api/v1/events/",
        {"title": "Ceasefire in Gaza", "slug": "ceasefire", "type": "statement", "date": "2025"},
    )

    assert response.status_code == 201 and response.json()["warnings"] == []


def test_a_second_european_union_is_warned_about_and_reads_have_no_warnings(editor_client):
    eu = ActorFactory(name="European Union", slug="european-union", short_name="EU")

    response = post(
        editor_client,
        "/api/v1/actors/",
        {"name": "European Union", "slug": "eu-again", "kind": "organisation"},
    )

    assert response.status_code == 201
    (warning,) = response.json()["warnings"]
    assert warning["record"]["slug"] == eu.slug and warning["reasons"] == ["same name"]
    assert Actor.objects.filter(slug="eu-again").exists()
    assert "warnings" not in editor_client.get("/api/v1/actors/eu-again/").json()


def test_a_source_at_the_same_page_is_warned_about(editor_client):
    source = SourceFactory(url="https://www.reuters.com/world/talks")

    response = post(
        editor_client,
        "/api/v1/sources/",
        {"kind": "news_article", "title": "Talks", "url": "https://reuters.com/world/talks/"},
    )

    assert response.status_code == 201, response.json()
    (warning,) = response.json()["warnings"]
    assert warning["record"]["id"] == source.pk
    assert warning["record"]["url"] == f"http://testserver/api/v1/sources/{source.pk}/"


def test_the_schema_documents_the_warnings_of_writes(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    def written(path, method="post", code="201"):
        return schema["paths"][path][method]["responses"][code]["content"]["application/json"]

    warning = written("/api/v1/events/")["schema"]["properties"]["warnings"]["items"]
    assert set(warning["properties"]) == {"code", "message", "score", "reasons", "record"}
    patched = written("/api/v1/sources/{id}/", "patch", "200")["schema"]
    assert "warnings" in patched["properties"]
    assert written("/api/v1/actors/")["schema"]["$ref"].endswith("/ActorWritten")
    assert "warnings" in schema["components"]["schemas"]["ActorWritten"]["properties"]
