"""The iframe embeds: markup that works without JavaScript, options, and the shared filters."""

import re

import pytest

from events.choices import TimelineStatus
from tests.embeds.conftest import XSS_TITLE
from tests.factories import TimelineFactory

pytestmark = pytest.mark.django_db

EMBED = "/embed/timelines/signs-of-a-shift/"


def event_slugs(html: str) -> list[str]:
    return re.findall(r'<li class="event[^"]*" id="e-([^"]+)"', html)


def test_embed_renders_an_ordered_list_grouped_by_month(client, world):
    response = client.get(f"{EMBED}?order=date")  # a curated timeline's own order is by entry
    html = response.content.decode()
    assert response.status_code == 200
    assert '<ol class="periods">' in html and '<ol class="events">' in html
    assert re.findall(r'<li class="period" id="([^"]+)"', html) == [
        "p-2025",
        "p-2025-02",
        "p-2025-03",
    ]
    assert event_slugs(html) == [
        "shift-in-the-year",
        "statement-on-aid",
        "talks-in-riyadh",
        "assembly-votes",
        "withdrawn-claim",
        "hostile",
    ]


def test_embed_never_shows_a_draft(client, world):
    html = client.get(EMBED).content.decode()
    assert "Secret draft" not in html and "secret-draft" not in html


def test_embed_marks_reported_events_and_shows_type_badges_and_actors(client, world):
    html = client.get(EMBED).content.decode()
    statement = html.split('id="e-statement-on-aid"')[1].split("</li>")[0]
    assert '<span class="mark mark-reported"' in statement
    assert (
        '<a class="badge" href="http://testserver/events/?type=statement" target="_blank" '
        'rel="noopener">Statement</a>'
    ) in statement
    assert "United States" in statement
    talks = html.split('id="e-talks-in-riyadh"')[1].split("</article>")[0]
    assert "mark-" not in talks  # confirmed events carry no mark


def test_embed_lists_sources_in_a_details_element_with_safe_links(client, world):
    url = world.talks.citations.get().source.url
    html = client.get(EMBED).content.decode()
    talks = html.split('id="e-talks-in-riyadh"')[1].split("</article>")[0]
    assert '<details class="sources"><summary>1 source</summary>' in talks
    assert f'<a href="{url}" target="_blank" rel="noopener">' in talks


def test_the_time_axis_links_each_event_to_its_entry_in_date_order(client, world):
    html = client.get(f"{EMBED}?order=date").content.decode()
    assert '<svg class="time-axis" role="group"' in html
    anchors = re.findall(r'<a class="axis-mark" href="#(e-[^"]+)"', html)
    # c. 2025 (a span over the year) first; the two Feb events on 1 Feb (month) and 18 Feb …
    assert anchors[0] == "e-shift-in-the-year"
    for anchor in anchors:
        assert f'id="{anchor}"' in html  # every mark has its entry
    assert 'aria-label="Talks in Riyadh, 18 Feb 2025"' in html
    # An event known only to its month is a span over it, not a dot on the 1st.
    assert re.search(r'href="#e-statement-on-aid"[^>]*><rect class="mark-span"', html)


def test_embed_escapes_a_hostile_title(client, world):
    html = client.get(EMBED).content.decode()
    assert XSS_TITLE not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_embed_shows_the_retraction_notice(client, world):
    html = client.get(EMBED).content.decode()
    assert "<strong>Retracted:</strong> The only source was misquoted." in html


def test_embed_chips_and_script_are_progressive_enhancement(client, world):
    html = client.get(EMBED).content.decode()
    assert '<details class="controls" data-controls hidden>' in html  # the script reveals them
    assert 'aria-pressed="false" data-kind="actor" data-value="united-states"' in html
    assert re.search(r'<script src="/static/embeds/timeline\.js" defer></script>', html)
    assert "<script>" not in html  # no inline script anywhere


@pytest.mark.parametrize("theme", ["light", "dark", "auto"])
def test_embed_theme_option(client, world, theme):
    html = client.get(f"{EMBED}?theme={theme}").content.decode()
    assert f'<html lang="en" data-theme="{theme}">' in html


def test_embed_compact_option_hides_summaries(client, world):
    assert "Delegations <strong>meet</strong>" in client.get(EMBED).content.decode()
    html = client.get(f"{EMBED}?compact=1").content.decode()
    assert "is-compact" in html
    assert "Delegations <strong>meet</strong>" not in html


def test_embed_start_and_end_options_narrow_the_period(client, world):
    html = client.get(f"{EMBED}?start=2025-02-19&end=2025-02").content.decode()
    # Feb 2025 (month precision) and c. 2025 may fall in the period; 18 Feb does not.
    assert event_slugs(html) == ["shift-in-the-year", "statement-on-aid", "assembly-votes"]


def test_embed_highlight_option_marks_the_actors_events(client, world):
    html = client.get(f"{EMBED}?highlight=marco-rubio").content.decode()
    assert 'class="event is-highlighted" id="e-talks-in-riyadh"' in html
    assert html.count("event is-highlighted") == 1


def test_embed_maxheight_option_is_passed_to_the_script(client, world):
    html = client.get(f"{EMBED}?maxheight=400").content.decode()
    assert 'data-maxheight="400"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("theme=pink", "theme must be one of light, dark, auto"),
        ("maxheight=tall", "maxheight must be a number of pixels"),
        ("maxheight=10", "maxheight must be between 150 and 5000"),
        ("compact=maybe", "compact must be 1 or 0"),
        ("actor=nobody", "Unknown actor: nobody"),
        ("start=2025-99", "not a valid calendar date"),
    ],
)
def test_embed_rejects_bad_options_with_a_message(client, world, query, message):
    response = client.get(f"{EMBED}?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_query_embed_accepts_the_api_filters(client, world):
    html = client.get("/embed/timeline/?actor=rus&type=un-vote").content.decode()
    assert event_slugs(html) == ["assembly-votes"]
    html = client.get("/embed/timeline/?actor=USA&actor=marco-rubio&actor_match=all").content
    assert event_slugs(html.decode()) == ["talks-in-riyadh"]
    html = client.get("/embed/timeline/?timeline=signs-of-a-shift&verification=reported").content
    assert event_slugs(html.decode()) == ["statement-on-aid"]


def test_query_embed_never_shows_drafts(client, world):
    html = client.get("/embed/timeline/?actor=usa").content.decode()
    assert "secret-draft" not in html
    assert "talks-in-riyadh" in html


def test_event_embed_shows_one_event(client, world):
    html = client.get("/embed/events/talks-in-riyadh/").content.decode()
    assert event_slugs(html) == ["talks-in-riyadh"]


def test_event_embed_reads_the_event_in_one_query_after_the_change_stamp(
    client, world, django_assert_max_num_queries
):
    client.get("/embed/events/talks-in-riyadh/")  # entry fragments cached, as for any reader
    with django_assert_max_num_queries(2):
        response = client.get("/embed/events/talks-in-riyadh/?compact=1")
    assert event_slugs(response.content.decode()) == ["talks-in-riyadh"]


def test_event_embed_refuses_a_bad_option(client, world):
    response = client.get("/embed/events/talks-in-riyadh/?theme=neon")
    assert response.status_code == 400
    assert "theme must be one of" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/embed/timelines/nope/", "/embed/events/secret-draft/", "/embed/timelines/draft-one/"],
)
def test_unknown_or_unpublished_embeds_are_404_with_a_frameable_notice(client, world, url):
    TimelineFactory(slug="draft-one", status=TimelineStatus.DRAFT)
    response = client.get(url)
    assert response.status_code == 404
    assert "This timeline is not available" in response.content.decode()
    assert "X-Frame-Options" not in response.headers


def test_entries_show_the_posts_a_person_held_on_the_events_date(client, world):
    html = client.get(EMBED).content.decode()
    talks = html.split('id="e-talks-in-riyadh"')[1].split("</li>")[0]
    assert '>Marco Rubio</a> <span class="post">(Secretary of State, United States)</span>' in talks
    # The same person before taking office holds no post in an earlier entry.
    page = client.get("/events/?actor=marco-rubio").content.decode()
    assert "(Secretary of State, United States)" in page


def test_there_is_no_time_axis_where_it_would_tell_nothing(client, world):
    single = client.get("/embed/events/talks-in-riyadh/").content.decode()
    assert "time-axis" not in single
    two = client.get("/embed/timeline/?actor=rus").content.decode()  # two events
    assert "time-axis" not in two
    assert "time-axis" in client.get("/embed/timeline/?actor=usa").content.decode()
