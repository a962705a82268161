"""The public pages through the test client: what a reader sees, and what never leaks."""

import re

import pytest
from django.test import override_settings

from events.choices import TimelineStatus
from tests.embeds.conftest import XSS_TITLE
from tests.factories import TimelineFactory

pytestmark = pytest.mark.django_db


def test_home_lists_published_timelines_only(client, world):
    TimelineFactory(title="Unfinished draft timeline", status=TimelineStatus.DRAFT)
    html = client.get("/").content.decode()
    assert "Signs of a shift" in html
    assert 'href="/timelines/signs-of-a-shift/"' in html
    assert "Unfinished draft timeline" not in html
    assert "Secret draft" not in html


def test_timeline_page_shows_title_description_events_and_the_embed_box(client, world):
    response = client.get("/timelines/signs-of-a-shift/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Signs of a shift</h1>" in html
    assert "The <em>signs</em>, with sources." in html
    assert "Talks in Riyadh" in html
    # The snippet sits, escaped, in a read-only textarea.
    assert "&lt;div data-timeline=&quot;signs-of-a-shift&quot;&gt;&lt;/div&gt;" in html
    assert "&lt;script async src=&quot;http://testserver/embed.js&quot;&gt;" in html
    assert "data-copy=" in html


def test_timeline_page_never_shows_a_draft_even_when_the_timeline_lists_it(client, world):
    html = client.get("/timelines/signs-of-a-shift/").content.decode()
    assert "Secret draft" not in html
    assert "secret-draft" not in html


def test_timeline_page_shows_dates_in_their_own_precision(client, world):
    html = client.get("/timelines/signs-of-a-shift/").content.decode()
    assert '<time datetime="2025-02-18">18 Feb 2025</time>' in html
    assert '<time datetime="2025-02">Feb 2025</time>' in html
    assert '<time datetime="2025">c. 2025</time>' in html
    assert "1 Jan 2025" not in html  # a year-precision date never becomes 1 January


def test_timeline_page_groups_events_by_month_in_chronological_order(client, world):
    html = client.get("/timelines/signs-of-a-shift/?order=date").content.decode()
    headings = re.findall(r'<h2 class="period-label"><time datetime="([^"]+)">', html)
    assert headings == ["2025", "2025-02", "2025-03"]
    titles = re.findall(r'<h3 id="t-([^"]+)">', html)
    assert titles == [
        "shift-in-the-year",
        "statement-on-aid",
        "talks-in-riyadh",
        "assembly-votes",
        "withdrawn-claim",
        "hostile",
    ]


def test_retracted_event_shows_its_notice_on_the_timeline_and_its_page(client, world):
    timeline_html = client.get("/timelines/signs-of-a-shift/").content.decode()
    assert "The only source was misquoted." in timeline_html
    page = client.get("/events/withdrawn-claim/").content.decode()
    assert "Retracted" in page and "The only source was misquoted." in page


def test_a_hostile_title_is_escaped_everywhere(client, world):
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    for url in ("/", "/timelines/signs-of-a-shift/", "/events/hostile/"):
        html = client.get(url).content.decode()
        assert XSS_TITLE not in html, url
        assert escaped in html, url


def test_markdown_summaries_are_rendered_and_sanitised(client, world):
    html = client.get("/events/talks-in-riyadh/").content.decode()
    assert "<strong>meet</strong>" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html or "alert('summary')" not in html


def test_event_page_shows_actors_with_their_posts_at_the_time(client, world):
    html = client.get("/events/talks-in-riyadh/").content.decode()
    assert 'href="/actors/marco-rubio/"' in html
    assert "Secretary of State" in html


def test_event_page_shows_citations_with_quotes_and_links(client, world):
    citation = world.talks.citations.select_related("source").get()
    html = client.get("/events/talks-in-riyadh/").content.decode()
    assert f'href="{citation.source.url}"' in html
    assert "A passage that says so." in html


def test_event_page_shows_the_vote_breakdown(client, world):
    html = client.get("/events/assembly-votes/").content.decode()
    assert "<td>93</td><td>18</td><td>65</td>" in html
    assert "Against (2)" in html
    assert 'href="/actors/russia/"' in html


def test_event_page_has_oembed_discovery(client, world):
    html = client.get("/events/talks-in-riyadh/").content.decode()
    assert (
        '<link rel="alternate" type="application/json+oembed" '
        'href="http://testserver/oembed?url=http%3A%2F%2Ftestserver%2Fevents%2Ftalks-in-riyadh%2F'
        '&amp;format=json"' in html
    )


@override_settings(TIMELINE_PUBLIC_URL="https://timeline.example.org")
def test_absolute_urls_use_the_public_url_when_set(client, world):
    html = client.get("/timelines/signs-of-a-shift/").content.decode()
    assert "src=&quot;https://timeline.example.org/embed.js&quot;" in html
    assert "https://timeline.example.org/oembed?url=https%3A%2F%2Ftimeline.example.org" in html


@pytest.mark.parametrize(
    "url",
    ["/events/secret-draft/", "/events/nope/", "/timelines/nope/", "/actors/nope/"],
)
def test_unknown_or_unpublished_pages_are_404(client, world, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "There is no published page at this address" in response.content.decode()


def test_a_draft_timeline_is_404(client, world):
    TimelineFactory(slug="draft-timeline", status=TimelineStatus.DRAFT)
    assert client.get("/timelines/draft-timeline/").status_code == 404


def test_an_actor_only_in_drafts_is_404(client, world):
    from tests.factories import ParticipationFactory, StateFactory

    hidden = StateFactory(slug="hidden-state")
    ParticipationFactory(event=world.draft, actor=hidden)
    assert client.get("/actors/hidden-state/").status_code == 404


def test_actor_page_lists_its_public_events_and_posts(client, world):
    html = client.get("/actors/united-states/").content.decode()
    assert "Talks in Riyadh" in html
    assert "Secret draft" not in html
    assert "Marco Rubio: Secretary of State" in html
    assert "from 21 Jan 2025, in post" in html


def test_actor_page_charts_agreement_with_a_chosen_state(client, world):
    html = client.get("/actors/united-states/?with=rus").content.decode()
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in html
    assert "Agreement of United States with Russia per year" in html
    assert '<th scope="row">2025</th><td>1</td><td>1</td><td>100%</td>' in html


def test_actor_page_explains_an_unknown_comparison_state(client, world):
    response = client.get("/actors/united-states/?with=zzz")
    assert response.status_code == 400
    assert "is not a state that voted with United States" in response.content.decode()


def test_timeline_page_with_a_bad_filter_is_a_400_that_says_what_to_fix(client, world):
    response = client.get("/timelines/signs-of-a-shift/?from=2025-13")
    assert response.status_code == 400
    assert "not a valid calendar date" in response.content.decode()


def test_a_curated_timeline_shows_each_entry_caption_on_its_page_and_embed(client, world):
    entry = world.timeline.entries.get(event=world.talks)
    entry.caption = "Sign 4: <b>rebuilding</b> ties"
    entry.save()
    for url in ("/timelines/signs-of-a-shift/", "/embed/timelines/signs-of-a-shift/"):
        html = client.get(url).content.decode()
        # In the curator's order a caption heads its entries; by date it heads its entry.
        assert '<h2 class="section-label">Sign 4: &lt;b&gt;rebuilding&lt;/b&gt; ties</h2>' in html
        html = client.get(url, {"order": "date"}).content.decode()
        assert '<h3 class="caption">Sign 4: &lt;b&gt;rebuilding&lt;/b&gt; ties</h3>' in html, url


def test_the_embed_box_comes_after_the_timeline(client, world):
    html = client.get("/timelines/signs-of-a-shift/").content.decode()
    assert html.index('id="embed-heading"') > html.index('id="events-heading"')
    assert html.index('id="embed-heading"') > html.index("Talks in Riyadh")


def test_a_height_limited_embed_says_it_scrolls(client, world):
    limited = client.get("/embed/timelines/signs-of-a-shift/?maxheight=300").content.decode()
    assert "data-scroll-cue" in limited and "Scroll for more events" in limited
    assert (
        "data-scroll-cue" not in client.get("/embed/timelines/signs-of-a-shift/").content.decode()
    )
