"""Conditional requests: ETag / Last-Modified / 304 on reads, If-Match and `version` on writes."""

import pytest
from django.utils.http import http_date

from events.models import ChangeStamp
from tests.factories import ActorFactory, SourceFactory, StateFactory, TimelineFactory

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/actors/",
    "/api/v1/actors/usa/",
    "/api/v1/actors/usa/events/",
    "/api/v1/sources/",
    "/api/v1/votes/",
    "/api/v1/timelines/",
    "/api/v1/timelines/shift/",
    "/api/v1/alignment/?a=usa&b=rus",
]


@pytest.fixture
def data():
    StateFactory(name="United States", slug="united-states", iso3="USA")
    StateFactory(name="Russian Federation", slug="russia", iso3="RUS")
    TimelineFactory(slug="shift")


@pytest.mark.parametrize("url", URLS)
def test_every_read_carries_an_etag_and_last_modified_and_answers_304(
    client, data, url, django_assert_max_num_queries
):
    response = client.get(url)
    assert response.status_code == 200, response.content
    etag = response["ETag"]
    assert etag.startswith('W/"')
    assert response["Last-Modified"] == http_date(ChangeStamp.current().changed_at.timestamp())
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Accept" in response["Vary"]
    # The 304 runs before the view's own queries: the stamp (and a detail's version) only.
    with django_assert_max_num_queries(2):
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_a_list_answers_304_with_a_single_query(client, data, django_assert_num_queries):
    etag = client.get("/api/v1/actors/")["ETag"]
    with django_assert_num_queries(1):
        assert client.get("/api/v1/actors/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_if_modified_since_answers_304_until_something_changes(client, data):
    last_modified = client.get("/api/v1/actors/")["Last-Modified"]
    response = client.get("/api/v1/actors/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304
    ChangeStamp.objects.filter(pk=1).update(
        changed_at=ChangeStamp.current().changed_at.replace(year=2100)
    )
    response = client.get("/api/v1/actors/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 200


def test_a_change_anywhere_invalidates_the_etag(client, data):
    etag = client.get("/api/v1/actors/")["ETag"]
    ActorFactory(name="Newcomer")
    response = client.get("/api/v1/actors/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Newcomer" in [row["name"] for row in response.json()["results"]]


def test_the_etag_depends_on_the_query_and_the_format(client, data):
    plain = client.get("/api/v1/actors/usa/events/")["ETag"]
    assert client.get("/api/v1/actors/usa/events/?from=2025")["ETag"] != plain
    assert client.get("/api/v1/actors/usa/events/?format=csv")["ETag"] != plain
    # Parameter order does not matter.
    assert (
        client.get("/api/v1/actors/?kind=state&q=a")["ETag"]
        == client.get("/api/v1/actors/?q=a&kind=state")["ETag"]
    )


def test_an_older_etag_does_not_match(client, data):
    response = client.get("/api/v1/actors/", HTTP_IF_NONE_MATCH='W/"stale", W/"older"')
    assert response.status_code == 200


def test_authenticated_reads_are_private_and_keyed_to_the_user(client, curator_client, data):
    anonymous = client.get("/api/v1/sources/")
    private = curator_client.get("/api/v1/sources/")
    assert private["Cache-Control"] == "private, no-cache"
    assert private["ETag"] != anonymous["ETag"]  # curators see more than readers


def test_errors_carry_no_etag(client, data):
    response = client.get("/api/v1/actors/atlantis/")
    assert response.status_code == 404
    assert not response.has_header("ETag")


# Writes ---------------------------------------------------------------------------------


def test_a_detail_etag_carries_the_version_and_if_match_accepts_it(editor_client):
    ActorFactory(slug="nato", name="NATO")
    etag = editor_client.get("/api/v1/actors/nato/")["ETag"]
    assert etag.startswith('W/"1.')
    response = editor_client.patch(
        "/api/v1/actors/nato/",
        {"short_name": "the Alliance"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == 'W/"2"'
    assert response.json()["version"] == 2


def test_a_states_etag_carries_its_version_when_read_by_iso_code(client, data):
    assert client.get("/api/v1/actors/usa/")["ETag"].startswith('W/"1.')


def test_a_stale_if_match_is_a_412_and_changes_nothing(editor_client):
    ActorFactory(slug="nato", name="NATO")
    etag = editor_client.get("/api/v1/actors/nato/")["ETag"]
    first = editor_client.patch(
        "/api/v1/actors/nato/",
        {"short_name": "first"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert first.status_code == 200
    response = editor_client.patch(
        "/api/v1/actors/nato/",
        {"short_name": "second"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 412
    assert "is at version 2" in response.json()["detail"]
    assert editor_client.get("/api/v1/actors/nato/").json()["short_name"] == "first"


@pytest.mark.parametrize(
    ("url", "factory"),
    [
        ("/api/v1/sources/{pk}/", lambda: SourceFactory()),
        ("/api/v1/timelines/{slug}/", lambda: TimelineFactory()),
    ],
)
def test_if_match_guards_deletes_of_sources_and_timelines(editor_client, url, factory):
    obj = factory()
    url = url.format(pk=obj.pk, slug=getattr(obj, "slug", ""))
    assert editor_client.delete(url, HTTP_IF_MATCH='W/"7"').status_code == 412
    assert editor_client.delete(url, HTTP_IF_MATCH='"1"').status_code == 204


def test_a_stale_version_in_the_body_is_a_409_and_the_current_one_passes(editor_client):
    TimelineFactory(slug="t", title="T")
    response = editor_client.patch(
        "/api/v1/timelines/t/", {"title": "A", "version": 5}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.json()["detail"]
    response = editor_client.patch(
        "/api/v1/timelines/t/", {"title": "A", "version": 1}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
