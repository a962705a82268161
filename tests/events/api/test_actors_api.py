"""/api/v1/actors/: filters, lookups by slug or ISO code, posts over time, an actor's timeline."""

import csv
import datetime as dt
import io

import pytest

from events.choices import ActorKind, EventStatus, ParticipantRole
from tests.events.api.resource_helpers import assert_json_error, count_queries
from tests.factories import (
    ActorFactory,
    EventFactory,
    ParticipationFactory,
    PersonFactory,
    PublishedEventFactory,
    RoleFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/actors/"


@pytest.fixture
def world():
    usa = StateFactory(name="United States", slug="united-states", iso3="USA")
    russia = StateFactory(
        name="Russian Federation", slug="russia", iso3="RUS", aliases="Russia\nRossiya"
    )
    un = ActorFactory(name="United Nations", slug="united-nations")
    ga = ActorFactory(
        name="UN General Assembly", slug="un-general-assembly", kind=ActorKind.ORGAN, parent=un
    )
    rubio = PersonFactory(name="Marco Rubio", slug="marco-rubio", aliases="Marko Rubio")
    RoleFactory(
        person=rubio, organisation=usa, title="Secretary of State", start_date=dt.date(2025, 1, 21)
    )
    RoleFactory(
        person=rubio,
        organisation=ActorFactory(name="US Senate", slug="us-senate"),
        title="Senator",
        start_date=dt.date(2011, 1, 3),
        end_date=dt.date(2025, 1, 20),
    )
    # Readers see actors a public event shows (and the organisations of their posts and
    # organs): all of these, through one public event.
    shown = PublishedEventFactory(slug="world-event")
    for actor in (russia, ga, rubio):  # the US through Rubio's post, the UN through its organ
        ParticipationFactory(event=shown, actor=actor)
    return {"usa": usa, "russia": russia, "un": un, "ga": ga, "rubio": rubio}


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_it_lists_actors_by_name_with_their_aliases_and_parent(client, world):
    rows = client.get(URL).json()["results"]
    assert [row["name"] for row in rows] == sorted(row["name"] for row in rows)
    ga = next(row for row in rows if row["slug"] == "un-general-assembly")
    assert ga["parent"] == "united-nations"
    assert ga["url"].endswith("/api/v1/actors/un-general-assembly/")
    russia = next(row for row in rows if row["slug"] == "russia")
    assert russia["aliases"] == ["Russia", "Rossiya"]
    assert russia["iso3"] == "RUS"


def test_it_filters_by_kind(client, world):
    assert slugs(client.get(URL, {"kind": "state"})) == ["russia", "united-states"]
    assert set(slugs(client.get(URL + "?kind=state&kind=person"))) == {
        "russia",
        "united-states",
        "marco-rubio",
    }


def test_it_rejects_an_unknown_kind_saying_what_is_allowed(client, world):
    assert_json_error(client.get(URL, {"kind": "planet"}), 400, field="kind", contains="planet")


def test_it_filters_by_iso_code_in_any_case(client, world):
    assert slugs(client.get(URL, {"iso3": "usa"})) == ["united-states"]
    assert slugs(client.get(URL, {"iso3": "RUS"})) == ["russia"]


def test_it_searches_names_and_aliases(client, world):
    assert slugs(client.get(URL, {"q": "marko"})) == ["marco-rubio"]
    assert slugs(client.get(URL, {"q": "rossiya"})) == ["russia"]
    assert slugs(client.get(URL, {"q": "nobody"})) == []


def test_it_filters_by_parent_and_rejects_an_unknown_parent(client, world):
    assert slugs(client.get(URL, {"parent": "united-nations"})) == ["un-general-assembly"]
    assert_json_error(
        client.get(URL, {"parent": "atlantis"}), 400, field="parent", contains="atlantis"
    )


def test_it_pages_with_a_cursor(client, world):
    first = client.get(URL, {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    seen = [r["slug"] for r in first["results"] + second["results"]]
    assert len(seen) == len(set(seen)) == 4


def test_it_shows_an_actor_by_slug_or_by_iso_code_in_any_case(client, world):
    for ref in ("united-states", "usa", "USA", "uSa"):
        response = client.get(f"{URL}{ref}/")
        assert response.status_code == 200, ref
        assert response.json()["slug"] == "united-states"


def test_it_shows_an_actor_by_wikidata_id_in_any_case(client, world):
    world["usa"].wikidata_id = "Q30"
    world["usa"].save()
    for ref in ("Q30", "q30"):
        assert client.get(f"{URL}{ref}/").json()["slug"] == "united-states"
    assert slugs(client.get(f"{URL}q30/events/")) == []  # resolved; no event of its own


def test_readers_see_only_actors_that_public_events_show_and_curators_see_all(
    client, curator_client, world
):
    hidden = PersonFactory(name="Only In Drafts", slug="only-in-drafts")
    ParticipationFactory(event=EventFactory(status=EventStatus.DRAFT), actor=hidden)
    RoleFactory(person=hidden, organisation=world["usa"], title="Envoy")

    assert "only-in-drafts" not in slugs(client.get(URL, {"page_size": 100}))
    assert_json_error(client.get(f"{URL}only-in-drafts/"), 404, contains="only-in-drafts")
    assert client.get("/actors/only-in-drafts/").status_code == 404  # the page agrees
    posts = client.get(f"{URL}usa/").json()["posts"]
    assert [post["person"]["slug"] for post in posts] == ["marco-rubio"]

    assert "only-in-drafts" in slugs(curator_client.get(URL, {"page_size": 100}))
    assert curator_client.get(f"{URL}only-in-drafts/").status_code == 200
    curator_posts = curator_client.get(f"{URL}usa/").json()["posts"]
    assert {post["person"]["slug"] for post in curator_posts} == {"marco-rubio", "only-in-drafts"}


def test_an_actor_becomes_public_with_its_first_public_event(client):
    actor = ActorFactory(slug="newcomer")
    assert client.get(f"{URL}newcomer/").status_code == 404
    ParticipationFactory(event=PublishedEventFactory(), actor=actor)
    assert client.get(f"{URL}newcomer/").status_code == 200
    assert client.get("/actors/newcomer/").status_code == 200


def test_an_unknown_actor_is_a_json_404(client, world):
    assert_json_error(client.get(f"{URL}atlantis/"), 404, contains="atlantis")


def test_a_person_shows_the_posts_they_held_over_time(client, world):
    data = client.get(f"{URL}marco-rubio/").json()
    assert [
        (r["title"], r["organisation"]["slug"], r["start_date"], r["end_date"])
        for r in data["roles"]
    ] == [
        ("Senator", "us-senate", "2011-01-03", "2025-01-20"),
        ("Secretary of State", "united-states", "2025-01-21", None),
    ]
    assert data["posts"] == []


def test_a_state_shows_the_posts_within_it(client, world):
    data = client.get(f"{URL}usa/").json()
    assert [(p["title"], p["person"]["slug"]) for p in data["posts"]] == [
        ("Secretary of State", "marco-rubio")
    ]
    assert data["events_url"].endswith("/api/v1/actors/united-states/events/")


def test_an_organisation_lists_its_organs(client, world):
    data = client.get(f"{URL}united-nations/").json()
    assert [child["slug"] for child in data["children"]] == ["un-general-assembly"]


# An actor's timeline --------------------------------------------------------------------


@pytest.fixture
def timeline(world):
    usa, russia = world["usa"], world["russia"]
    made = {}
    for slug, day, status in [
        ("talks", dt.date(2025, 2, 18), EventStatus.PUBLISHED),
        ("vote", dt.date(2025, 2, 24), EventStatus.PUBLISHED),
        ("old", dt.date(2022, 3, 2), EventStatus.PUBLISHED),
        ("secret", dt.date(2025, 2, 20), EventStatus.DRAFT),
    ]:
        factory = PublishedEventFactory if status == EventStatus.PUBLISHED else EventFactory
        made[slug] = factory(slug=slug, start_date=day, status=status)
        ParticipationFactory(event=made[slug], actor=usa, role=ParticipantRole.INITIATOR)
    ParticipationFactory(event=made["talks"], actor=russia)
    russia_only = PublishedEventFactory(slug="russia-only")
    ParticipationFactory(event=russia_only, actor=russia)
    return made


def test_an_actors_timeline_lists_its_public_events_in_date_order(client, timeline):
    assert slugs(client.get(f"{URL}usa/events/")) == ["old", "talks", "vote"]


def test_an_actors_timeline_takes_the_event_filters(client, timeline):
    assert slugs(client.get(f"{URL}usa/events/", {"from": "2025-02"})) == ["talks", "vote"]
    assert slugs(client.get(f"{URL}usa/events/", {"actor": "rus"})) == ["talks"]
    assert slugs(client.get(f"{URL}usa/events/", {"ordering": "-date"})) == [
        "vote",
        "talks",
        "old",
    ]
    assert_json_error(
        client.get(f"{URL}usa/events/", {"from": "2025-13"}), 400, field="from", contains="2025-13"
    )


def test_an_actors_timeline_exports_csv(client, timeline):
    response = client.get(f"{URL}usa/events/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["slug"] for row in rows] == ["old", "talks", "vote"]


def test_an_unknown_actors_timeline_is_a_404(client, timeline):
    assert client.get(f"{URL}atlantis/events/").status_code == 404


# Query counts ---------------------------------------------------------------------------


def test_the_list_costs_the_same_queries_for_1_or_100_actors(client):
    event = PublishedEventFactory()
    ParticipationFactory(event=event, actor=ActorFactory(parent=ActorFactory()))
    one = count_queries(client, URL)
    for actor in ActorFactory.create_batch(99, parent=ActorFactory()):
        ParticipationFactory(event=event, actor=actor)
    assert count_queries(client, URL + "?page_size=200") == one


def test_an_actors_timeline_costs_the_same_queries_for_1_or_100_events(client, world):
    usa = world["usa"]
    ParticipationFactory(event=PublishedEventFactory(), actor=usa)
    one = count_queries(client, f"{URL}usa/events/")
    for _ in range(99):
        ParticipationFactory(event=PublishedEventFactory(), actor=usa)
    assert count_queries(client, f"{URL}usa/events/?page_size=200") == one


def test_the_detail_costs_the_same_queries_for_1_or_20_posts(client, world):
    usa = world["usa"]
    one = count_queries(client, f"{URL}usa/")
    for index in range(19):
        RoleFactory(organisation=usa, title=f"Post {index}")
    assert count_queries(client, f"{URL}usa/") == one
