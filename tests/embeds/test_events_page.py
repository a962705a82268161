"""The public events page, /events/: the API's filters as a GET form, facets, cursor pages."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from tests.embeds.test_budget import subresources
from tests.factories import PublishedEventFactory

pytestmark = pytest.mark.django_db


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 id="t-[^"]+"><a [^>]*>([^<]+)</a>', html)


def test_it_lists_every_public_event_and_never_a_draft(client, world):
    response = client.get("/events/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Talks in Riyadh" in html
    assert "A withdrawn claim" in html  # retracted, shown with its notice
    assert "Secret draft" not in html and "secret-draft" not in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "6 events." in html


def test_it_filters_by_actor_type_period_and_text_as_the_api_does(client, world):
    html = client.get("/events/?actor=rus").content.decode()
    assert sorted(titles(html)) == ["Talks in Riyadh", "The Assembly votes"]
    html = client.get("/events/?type=diplomacy").content.decode()  # a parent includes subtypes
    assert titles(html) == ["Talks in Riyadh"]
    html = client.get("/events/?from=2025-03&to=2025-03").content.decode()
    assert "Talks in Riyadh" not in html and "A withdrawn claim" in html
    html = client.get("/events/?q=riyadh").content.decode()
    assert titles(html) == ["Talks in Riyadh"]


def test_the_form_shows_the_selection_back(client, world):
    html = client.get("/events/?actor=usa&type=summit&from=2025&q=talks").content.decode()
    assert 'name="actor" value="usa"' in html
    assert '<option value="summit" selected>' in html
    assert 'name="from" value="2025"' in html
    assert 'name="q" type="search" value="talks"' in html
    assert 'method="get"' in html


def test_bad_filters_are_a_400_that_says_what_to_fix(client, world):
    response = client.get("/events/?actor=atlantis")
    assert response.status_code == 400
    assert "Unknown actor: atlantis" in response.content.decode()
    response = client.get("/events/?cursor=garbage")
    assert response.status_code == 400
    assert "Invalid cursor" in response.content.decode()


def test_facets_count_the_selection_and_narrow_it(client, world):
    html = client.get("/events/?actor=usa").content.decode()
    facets = html[html.index('id="facets-heading"') :]
    # usa takes part in talks, the vote and the statement: three types, one each.
    assert re.search(
        r'\?actor=usa&amp;type=bilateral-talks">Bilateral talks</a> '
        r'<span class="count">1</span>',
        facets,
    )
    # An actor facet narrows: both must take part.
    assert "?actor=united-states%2Crussia&amp;actor_match=all" in facets
    assert "Secret draft" not in html


def test_keyset_pages_walk_forward_and_back(client, db):
    for day in range(1, 46):
        PublishedEventFactory(
            title=f"Day {day:02}", start_date=dt.date(2024, 1, 1) + dt.timedelta(day)
        )
    first = client.get("/events/").content.decode()
    assert titles(first)[:2] == ["Day 01", "Day 02"] and len(titles(first)) == 20
    next_url = re.search(r'<a href="([^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
    second = client.get(next_url).content.decode()
    assert titles(second)[0] == "Day 21"
    previous_url = re.search(r'<a href="([^"]+)" rel="prev">', second).group(1)
    back = client.get(previous_url.replace("&amp;", "&")).content.decode()
    assert titles(back) == titles(first)


def test_names_link_to_the_page_filtered(client, world):
    html = client.get("/events/").content.decode()
    assert 'href="http://testserver/events/?actor=russia">Russia</a>' in html
    assert 'href="http://testserver/events/?type=bilateral-talks">Bilateral talks</a>' in html
    event_page = client.get("/events/talks-in-riyadh/").content.decode()
    assert 'href="/events/?type=bilateral-talks">Bilateral talks</a>' in event_page
    timeline = client.get("/timelines/signs-of-a-shift/").content.decode()
    assert 'href="http://testserver/events/?actor=russia"' in timeline
    embed = client.get("/embed/timelines/signs-of-a-shift/").content.decode()
    assert 'href="http://testserver/events/?actor=russia" target="_blank"' in embed


def test_a_selection_offers_its_embed_snippet_after_the_events(client, world):
    html = client.get("/events/?actor=rus&cursor=").content.decode()
    assert html.index('id="embed-heading"') > html.index('id="events-heading"')
    assert "&lt;div data-timeline data-filters=&quot;actor=rus&quot;&gt;&lt;/div&gt;" in html
    assert "http://testserver/embed/timeline/?actor=rus" in html
    embed = client.get("/embed/timeline/?actor=rus")
    assert embed.status_code == 200 and "Talks in Riyadh" in embed.content.decode()
    assert 'id="embed-heading"' not in client.get("/events/").content.decode()


def test_the_old_timeline_address_redirects_permanently(client, db):
    response = client.get("/timeline/")
    assert response.status_code == 301
    assert response["Location"] == "/events/"


def test_it_answers_304_to_a_matching_etag_and_a_new_tag_after_a_public_change(client, world):
    response = client.get("/events/?actor=usa")
    etag = response["ETag"]
    assert client.get("/events/?actor=usa", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/events/?actor=rus", headers={"If-None-Match": etag}).status_code == 200
    PublishedEventFactory(title="News")
    assert client.get("/events/?actor=usa", headers={"If-None-Match": etag}).status_code == 200


def test_the_page_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for day in range(30):
        PublishedEventFactory(start_date=dt.date(2023, 1, 1) + dt.timedelta(day))
    with django_assert_max_num_queries(13):
        assert client.get("/events/?actor=usa&type=diplomacy&from=2020").status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get("/events/").status_code == 200


def test_the_demo_events_page_transfers_under_50_kb_with_nothing_from_elsewhere(client, db):
    call_command("load_demo", verbosity=0)
    html = client.get("/events/").content
    total = len(html)
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html.decode()).group(1)
    for url in subresources(html.decode()):
        if url == canonical:
            continue
        assert url.startswith(("/", "data:")), url
        if url.startswith("/static/"):
            total += Path(finders.find(url.removeprefix("/static/"))).stat().st_size
    assert total < 50 * 1024, f"{total} bytes"


def field_error(html: str, name: str) -> str | None:
    """The message shown next to a field of the form, if any (tags and entities left as sent)."""
    found = re.search(rf'<span id="f-{name}-error" class="field-error">([^<]*)</span>', html)
    return found[1] if found else None


def test_a_bad_filter_shows_the_form_again_with_what_to_fix_next_to_its_field(client, world):
    response = client.get("/events/", {"actor": "atlantis", "from": "2025-13-45", "q": "talks"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Unknown actor: atlantis. Use an actor&#x27;s slug" in field_error(html, "actor")
    assert "ISO 3166 alpha-3 code, such as usa or rus." in field_error(html, "actor")
    assert "&#x27;2025-13-45&#x27; is not a valid calendar date" in field_error(html, "from")
    assert "give a real year, month or day as YYYY, YYYY-MM or YYYY-MM-DD" in html
    assert field_error(html, "to") is None and field_error(html, "q") is None
    # each field keeps what was typed and points at its message
    assert 'name="actor" value="atlantis"' in html
    assert 'name="from" value="2025-13-45"' in html
    assert 'name="q" type="search" value="talks"' in html
    assert 'aria-describedby="f-actor-error f-actor-help"' in html
    assert 'aria-describedby="f-from-error f-period-help" size="10" aria-invalid="true"' in html
    # a summary above the form links each message to its field; no results under a bad filter
    summary = html[html.index('id="errors-heading"') : html.index("</section>")]
    assert '<a href="#f-actor">Unknown actor: atlantis.' in summary
    assert '<a href="#f-from">' in summary
    assert html.index('id="errors-heading"') < html.index('<form method="get"')
    assert "<title>Check the filters: Events" in html
    assert 'id="events-heading"' not in html and "Talks in Riyadh" not in html


def test_a_to_before_from_is_shown_at_to_with_both_dates(client, world):
    response = client.get("/events/", {"from": "2025-03", "to": "2024"})
    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, "to") == (
        "To: “to” (2024) is before “from” (2025-03): give a “to” on or after “from”."
    )
    assert field_error(html, "from") is None
    assert 'name="from" value="2025-03"' in html and 'name="to" value="2024"' in html


def test_a_bad_parameter_without_a_field_is_listed_above_the_form(client, world):
    response = client.get("/events/", {"cursor": "garbage", "type": "summit"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "cursor: Invalid cursor" in html
    assert '<option value="summit" selected>' in html  # the valid filters are kept


def test_an_unknown_type_says_so_next_to_the_menu(client, world):
    response = client.get("/events/", {"type": "coup"})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "type").startswith("Unknown event type: coup.")


def test_a_search_reads_in_date_order_and_offers_best_match(client, world):
    PublishedEventFactory(
        slug="riyadh-later", title="Riyadh follow-up", start_date=dt.date(2025, 6, 1)
    )
    html = client.get("/events/?q=riyadh").content.decode()
    assert titles(html) == ["Talks in Riyadh", "Riyadh follow-up"]
    assert '<option value="date" selected>Oldest first</option>' in html
    assert '<option value="relevance">Best match</option>' in html
    html = client.get("/events/?q=riyadh&ordering=-date").content.decode()
    assert titles(html) == ["Riyadh follow-up", "Talks in Riyadh"]
    assert "Best match" not in client.get("/events/").content.decode()  # no text, no ranking
