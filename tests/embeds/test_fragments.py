"""Timeline entries come from a projection and a content-addressed fragment cache.

Whatever changes what an entry shows (the event, its actors, its sources, its type) shows at
once; options only reuse fragments whose markup they do not change.
"""

import datetime as dt

import pytest
from django.db import connection

from embeds import fragments
from events.choices import CitationStance, ParticipantRole
from events.lru import LRUStore
from events.models import Event, EventType, Source
from tests.factories import (
    CitationFactory,
    ParticipationFactory,
    PublishedEventFactory,
    SourceFactory,
    TimelineEntryFactory,
    TimelineFactory,
)

pytestmark = pytest.mark.django_db

EMBED = "/embed/timelines/signs-of-a-shift/"
PAGE = "/timelines/signs-of-a-shift/"


@pytest.fixture
def without_response_cache(settings):
    """These check the fragments' own keys with a change that bypasses the signals (so leaves
    the change stamp where it was): the stamp-keyed response cache in front of them
    (timeline.response_cache) would answer from before the change, as the contract for bulk
    updates says (they must call events.freshness.stamp_change)."""
    settings.RESPONSE_CACHE = False


@pytest.fixture(autouse=True)
def _empty_fragment_cache():
    fragments.fragment_cache.clear()


@pytest.fixture
def renders(monkeypatch) -> list:
    """The summaries rendered, i.e. the entries that were not served from the cache."""
    rendered = []
    real = fragments.render_markdown

    def counting(text):
        rendered.append(text)
        return real(text)

    monkeypatch.setattr(fragments, "render_markdown", counting)
    return rendered


def entry(html: str, slug: str) -> str:
    return html.split(f'id="e-{slug}"')[1].split("</li>\n")[0]


def test_a_second_view_serves_every_entry_from_the_cache_unchanged(client, world, renders):
    first = client.get(EMBED).content
    assert len(renders) == 6
    assert client.get(EMBED).content == first
    assert len(renders) == 6


def test_a_changed_title_shows_at_once(client, world):
    assert "Talks in Riyadh" in client.get(EMBED).content.decode()
    world.talks.title = "Talks in Riyadh, day two"
    world.talks.save()
    assert "Talks in Riyadh, day two" in entry(
        client.get(EMBED).content.decode(), "talks-in-riyadh"
    )


def test_a_change_that_bypasses_save_shows_too(client, world, without_response_cache):
    client.get(EMBED)
    # A bulk update moves neither updated_at nor the version: the key is the content itself.
    Event.objects.filter(pk=world.talks.pk).update(title="Quietly renamed")
    assert "Quietly renamed" in client.get(EMBED).content.decode()


def test_a_renamed_actor_source_or_type_shows_in_entries_not_saved_since(client, world):
    client.get(EMBED)
    world.rus.short_name = "Russia (renamed)"
    world.rus.save()
    source = world.talks.citations.get().source
    Source.objects.filter(pk=source.pk).update(title="A retitled report")
    EventType.objects.filter(pk=world.talks.event_type_id).update(name="Summit talks")
    talks = entry(client.get(EMBED).content.decode(), "talks-in-riyadh")
    assert '?actor=russia" target="_blank" rel="noopener">Russia (renamed)</a>' in talks
    assert ">A retitled report</a>" in talks
    assert '" target="_blank" rel="noopener">Summit talks</a>' in talks


def test_an_added_source_shows_in_the_count(client, world):
    client.get(EMBED)
    CitationFactory(event=world.talks)
    talks = entry(client.get(EMBED).content.decode(), "talks-in-riyadh")
    assert "<summary>2 sources</summary>" in talks


def test_a_highlight_matching_no_actor_reuses_every_fragment(client, world, renders):
    client.get(EMBED)
    rendered = len(renders)
    html = client.get(f"{EMBED}?highlight=nobody-at-all").content.decode()
    assert len(renders) == rendered
    assert "is-highlighted" not in html


def test_a_highlight_renders_again_only_the_entries_it_marks(client, world, renders):
    client.get(EMBED)
    renders.clear()
    html = client.get(f"{EMBED}?highlight=rus").content.decode()
    assert len(renders) == 2  # the talks and the vote, where Russia takes part
    assert html.count('class="event is-highlighted"') == 2


def test_the_page_never_gets_the_embeds_new_tab_links(client, world):
    assert (
        'target="_blank" rel="noopener">Talks in Riyadh</a>' in client.get(EMBED).content.decode()
    )
    page = client.get(PAGE).content.decode()
    assert 'href="http://testserver/events/talks-in-riyadh/">Talks in Riyadh</a>' in page


def test_compact_and_full_entries_are_cached_apart(client, world):
    assert (
        "Delegations <strong>meet</strong>" not in client.get(f"{EMBED}?compact=1").content.decode()
    )
    assert "Delegations <strong>meet</strong>" in client.get(EMBED).content.decode()
    assert (
        "Delegations <strong>meet</strong>" not in client.get(f"{EMBED}?compact=1").content.decode()
    )


def test_an_actor_in_two_roles_is_listed_once(client, world):
    ParticipationFactory(event=world.talks, actor=world.usa, role=ParticipantRole.HOST)
    talks = entry(client.get(EMBED).content.decode(), "talks-in-riyadh")
    assert talks.count(">United States</a>") == 1
    assert 'data-actors="united-states russia marco-rubio"' in talks


def test_sources_show_publisher_stance_and_a_link_only_with_a_url(client, world):
    CitationFactory(
        event=world.talks,
        source=SourceFactory(url=None, reference="print:7", title="Print", publisher="The Post"),
        stance=CitationStance.CONTRADICTS,
    )
    talks = entry(client.get(EMBED).content.decode(), "talks-in-riyadh")
    assert '<li>Print <span class="publisher">— The Post</span> ' in talks
    assert '<span class="stance">(contradicts)</span>' in talks


def test_a_caption_is_part_of_the_entry(client, world, without_response_cache):
    by_date = f"{EMBED}?order=date"  # in the curator's order a caption heads a section instead
    client.get(by_date)
    entry_of_talks = world.timeline.entries.get(event=world.talks)
    entry_of_talks.caption = "Sign 1: the talks"
    entry_of_talks.save()  # a public change: the captions kept under the old stamp are left
    talks = entry(client.get(by_date).content.decode(), "talks-in-riyadh")
    assert '<h3 class="caption">Sign 1: the talks</h3>' in talks
    assert '<h4 id="t-talks-in-riyadh">' in talks


@pytest.mark.parametrize("count", [1, 40])
def test_the_embed_runs_the_same_few_queries_for_1_or_40_events(
    client, count, django_assert_max_num_queries
):
    timeline = TimelineFactory(slug="long")
    for n in range(count):
        event = PublishedEventFactory(start_date=dt.date(2020 + n % 5, 1 + n % 12, 1 + n % 28))
        CitationFactory(event=event)
        ParticipationFactory(event=event)
        TimelineEntryFactory(timeline=timeline, event=event)
    # change stamp, timeline, captions, then events, participants and citations (on PostgreSQL
    # the events come with their participants and citations in one statement)
    with django_assert_max_num_queries(4 if connection.vendor == "postgresql" else 6):
        assert client.get("/embed/timelines/long/").status_code == 200


def test_the_time_axis_follows_the_entries(client, world):
    html = client.get(f"{EMBED}?order=date").content.decode()
    assert "Time axis: 6 events from c. 2025 to" in html
    TimelineEntryFactory(
        timeline=world.timeline,
        event=PublishedEventFactory(title="A late meeting", start_date=dt.date(2025, 6, 9)),
    )
    html = client.get(f"{EMBED}?order=date").content.decode()
    assert "Time axis: 7 events from c. 2025 to" in html
    assert 'aria-label="A late meeting, 9 Jun 2025"' in html


def test_the_entries_are_joined_as_the_template_loop_joined_them():
    from django.template import Context, Template

    from embeds.templatetags.entries import entries_html

    class Entry:
        def __init__(self, html):
            self.html = html
            self.html_bytes = html.encode()  # as embeds.fragments keeps an entry

    entries = [Entry('<li id="e-a">A &amp; B — é</li>'), Entry('<li id="e-b">C</li>')]
    loop = Template("{% for event in entries %}\n{{ event.html|safe }}{% endfor %}")
    assert entries_html(entries) == loop.render(Context({"entries": entries}))
    assert entries_html([]) == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement on PostgreSQL")
def test_an_entry_read_in_one_statement_is_keyed_on_its_record(world):
    from events import rows

    (first,) = rows.first_rows(Event.objects.filter(slug="talks-in-riyadh").order_by("id"), 1)
    (again,) = rows.first_rows(Event.objects.filter(slug="talks-in-riyadh").order_by("id"), 1)
    assert first.record and first.record == again.record
    key = fragments._key(first, "", ("options",))
    assert fragments._key(again, "", ("options",)) == key
    again.caption = "A caption"  # set per request: part of the key beside the record
    assert fragments._key(again, "", ("options",)) != key


def test_the_store_keeps_the_most_recently_used_fragments_up_to_its_size():
    store = LRUStore(max_entries=2)
    store.set_many({"a": "A", "b": "B"})
    assert store.get("a") == "A"  # now the most recently used
    store.set("c", "C")
    assert store.get_many(["a", "b", "c"]) == {"a": "A", "c": "C"}
    store.clear()
    assert store.values() == []


@pytest.mark.parametrize(
    "url",
    [
        EMBED,
        PAGE,
        "/actors/russia/",
        "/embed/timeline/?actor=russia",
        f"{EMBED}?group_by=year&compact=1",
    ],
)
def test_a_spliced_page_is_the_page_rendered_whole_byte_for_byte(client, world, monkeypatch, url):
    from django.shortcuts import render

    from embeds import views

    pages = []

    def both(request, template_name, context, status=200):
        spliced = fragments.render_spliced(request, template_name, context, status)
        whole = render(request, template_name, context, status=status)  # entries_html inline
        pages.append((spliced.content, whole.content))
        return spliced

    monkeypatch.setattr(views, "render_spliced", both)
    assert client.get(url).status_code == 200
    ((spliced, whole),) = pages
    assert b'class="events"' in whole and fragments.ENTRIES_MARK.encode() not in spliced
    assert spliced == whole


def test_a_mark_that_no_block_put_there_is_refused_not_spliced(rf):
    # A title cannot hold it from the database (PostgreSQL refuses NUL; the mark is random per
    # process); should it reach a page anyway, the page fails rather than misplacing entries.
    with pytest.raises(ValueError, match="no block put there"):
        fragments.render_spliced(
            rf.get("/"), "embeds/embed.html", {"title": fragments.ENTRIES_MARK, "events": []}
        )
