"""What the embed and the API keep per process (events.published_timelines, the parsed related
sets of events.rows, the time axis): read once per public data version, never stale after a
change saved through the product."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.choices import TimelineStatus

pytestmark = pytest.mark.django_db

EMBED = "/embed/timelines/signs-of-a-shift/"


@pytest.fixture
def without_response_cache(settings):
    """The views themselves, not the whole responses kept under the same stamp."""
    settings.RESPONSE_CACHE = False


def timeline_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "events_timeline"' in q["sql"]]


def caption_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if '"events_timelineentry"."caption"' in q["sql"]]


def test_the_timeline_and_its_captions_are_read_once_per_version(
    client, world, without_response_cache
):
    client.get(EMBED)
    with CaptureQueriesContext(connection) as again:
        assert client.get(EMBED).status_code == 200
    assert timeline_queries(again) == [] and caption_queries(again) == []
    world.timeline.title = "Signs of a shift, revised"
    world.timeline.save()
    with CaptureQueriesContext(connection) as after:
        html = client.get(EMBED).content.decode()
    assert "Signs of a shift, revised" in html
    assert len(timeline_queries(after)) == 1


def test_an_unpublished_timeline_is_gone_at_once(client, world, without_response_cache):
    assert client.get(EMBED).status_code == 200
    assert client.get("/api/v1/events/", {"timeline": "signs-of-a-shift"}).status_code == 200
    world.timeline.status = TimelineStatus.DRAFT
    world.timeline.save()
    assert client.get(EMBED).status_code == 404
    response = client.get("/api/v1/events/", {"timeline": "signs-of-a-shift"})
    assert response.status_code == 400
    assert "Unknown timeline: signs-of-a-shift" in response.content.decode()


def test_a_renamed_actor_and_a_retitled_source_show_at_once(client, world, without_response_cache):
    from events.models import Citation

    client.get(EMBED)
    client.get("/api/v1/events/")
    world.usa.name = "United States of America"
    world.usa.save()
    citation = Citation.objects.filter(event=world.talks).select_related("source").first()
    citation.source.title = "A retitled report"
    citation.source.save()
    html = client.get(EMBED).content.decode()
    assert "United States of America" in html and "A retitled report" in html
    listed = client.get("/api/v1/events/").json()["results"]
    talks = next(row for row in listed if row["slug"] == "talks-in-riyadh")
    assert "United States of America" in [actor["name"] for actor in talks["actors"]]
    assert "A retitled report" in [source["title"] for source in talks["sources"]]


def test_the_axis_follows_a_changed_date(client, world, without_response_cache):
    before = client.get(EMBED).content.decode()
    world.talks.start_date = world.talks.start_date.replace(day=25)
    world.talks.save()
    after = client.get(EMBED).content.decode()
    axis = after[after.index("<svg") : after.index("</svg>")]
    assert "25 February 2025" in axis or "25 Feb 2025" in axis
    assert axis != before[before.index("<svg") : before.index("</svg>")]
