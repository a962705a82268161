"""Draft preview: staff see what is not public yet, marked and never cached; readers see a 404
that says no more than a missing slug's; public responses do not change for anyone."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from knox.models import AuthToken

from embeds import fragments
from events.choices import TimelineStatus
from events.models import Actor, ChangeStamp, Event, Timeline
from tests.factories import (
    ActorFactory,
    EventFactory,
    ParticipationFactory,
    TimelineEntryFactory,
    TimelineFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BANNER = "Not public: draft preview"
DRAFT_EVENT = "/events/secret-draft/"
DRAFT_TIMELINE = "/timelines/draft-timeline/"
HIDDEN_ACTOR = "/actors/hidden-actor/"
DRAFTS = [DRAFT_EVENT, DRAFT_TIMELINE, HIDDEN_ACTOR]
MISSING = {
    DRAFT_EVENT: "/events/no-such-event/",
    DRAFT_TIMELINE: "/timelines/no-such-timeline/",
    HIDDEN_ACTOR: "/actors/no-such-actor/",
}
PUBLIC = [
    "/",
    "/timelines/signs-of-a-shift/",
    "/events/talks-in-riyadh/",
    "/actors/russia/",
    "/embed/timelines/signs-of-a-shift/",
    "/embed/events/talks-in-riyadh/",
]
EMBED_PREVIEWS = [
    "/preview/embed/events/secret-draft/",
    "/preview/embed/timelines/draft-timeline/",
    "/preview/embed/timelines/signs-of-a-shift/",
]


@pytest.fixture
def drafts(world):
    """Beside the world's draft event: a draft timeline listing a public and a draft event, and
    an actor that only the draft takes part in."""
    timeline = TimelineFactory(
        title="Draft timeline", slug="draft-timeline", status=TimelineStatus.DRAFT
    )
    TimelineEntryFactory(timeline=timeline, event=world.talks, position=1)
    TimelineEntryFactory(timeline=timeline, event=world.draft, position=2)
    ParticipationFactory(event=world.draft, actor=ActorFactory(name="Hidden", slug="hidden-actor"))
    return world


@pytest.fixture(autouse=True)
def _empty_fragment_cache():
    fragments.fragment_cache.clear()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def readers(db) -> dict[str, Client]:
    """Everyone who must not see a draft: anonymous, signed in without staff status (even in
    the Curator group), staff without the view permission, and an API token's holder."""
    token_holder = UserFactory(username="api-client", is_staff=False, groups=["Curator"])
    _, token = AuthToken.objects.create(user=token_holder)
    return {
        "anonymous": Client(),
        "signed in, not staff": logged_in(
            UserFactory(username="member", is_staff=False, groups=["Curator"])
        ),
        "staff without permission": logged_in(UserFactory(username="intern")),
        "API token": Client(headers={"Authorization": f"Token {token}"}),
    }


def headers_of(response) -> dict:
    return {
        name: response.get(name)
        for name in ("Cache-Control", "ETag", "Last-Modified", "Vary", "Content-Type")
    }


@pytest.mark.parametrize("url", DRAFTS)
def test_readers_get_for_a_draft_the_404_of_a_missing_slug_without_the_banner(drafts, readers, url):
    for who, client in readers.items():
        draft, missing = client.get(url), client.get(MISSING[url])
        assert draft.status_code == missing.status_code == 404, who
        assert BANNER not in draft.content.decode(), who
        assert draft.content.replace(url.encode(), MISSING[url].encode()) == missing.content
        assert headers_of(draft) == headers_of(missing), who


@pytest.mark.parametrize("user", ["curator", "editor"])
@pytest.mark.parametrize("url", DRAFTS)
def test_curators_and_editors_see_a_draft_with_the_banner_and_private_no_store(
    drafts, request, user, url
):
    response = logged_in(request.getfixturevalue(user)).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="preview-banner" role="status"><strong>' + BANNER in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response
    assert "Last-Modified" not in response
    assert "Cookie" in response["Vary"]


def test_the_draft_event_preview_shows_the_event_and_its_status(drafts, curator):
    html = logged_in(curator).get(DRAFT_EVENT).content.decode()
    assert "<h1>Secret draft</h1>" in html
    assert '<span class="mark mark-unpublished">Draft</span>' in html


def test_a_draft_timeline_preview_lists_draft_entries_marked_as_not_public(drafts, curator):
    html = logged_in(curator).get(DRAFT_TIMELINE).content.decode()
    assert "<h1>Draft timeline</h1>" in html
    talks = html.split('id="e-talks-in-riyadh"')[1].split("</li>")[0]
    draft = html.split('id="e-secret-draft"')[1].split("</li>")[0]
    assert "Not public" not in talks
    assert '<span class="mark mark-unpublished">Not public: draft</span>' in draft
    assert 'class="event is-unpublished"' in html
    # No embed code to paste until readers can see it; the embed preview instead.
    assert 'id="snippet"' not in html
    assert 'href="/preview/embed/timelines/draft-timeline/"' in html


def test_the_hidden_actor_preview_lists_the_draft_it_takes_part_in(drafts, editor):
    html = logged_in(editor).get(HIDDEN_ACTOR).content.decode()
    assert "<h1>Hidden</h1>" in html
    assert "Not public: draft" in html.split('id="e-secret-draft"')[1]


@pytest.mark.parametrize("url", PUBLIC)
def test_a_published_page_is_the_same_for_readers_before_and_after_staff_viewed_it(
    drafts, curator, url
):
    reader = Client()
    before = reader.get(url)
    stamps = ChangeStamp.current(), ChangeStamp.current(staff=True)
    staff = logged_in(curator)
    seen_by_staff = staff.get(url)
    for preview in (*DRAFTS, *EMBED_PREVIEWS):
        assert staff.get(preview).status_code == 200
    after = reader.get(url)

    assert before.status_code == after.status_code == 200
    assert after.content == before.content
    assert headers_of(after) == headers_of(before)
    assert before["Cache-Control"].startswith("public")
    assert "Cookie" not in (before.get("Vary") or "")
    # Staff get the public page itself on a public URL: no variant a cache could mix up.
    assert seen_by_staff.content == before.content
    assert headers_of(seen_by_staff) == headers_of(before)
    assert BANNER not in before.content.decode()
    # Looking never moves a stamp, public or staff.
    assert (ChangeStamp.current(), ChangeStamp.current(staff=True)) == stamps


def test_a_preview_neither_reads_nor_stores_fragments(drafts, curator, monkeypatch):
    stored = []
    monkeypatch.setattr(fragments.fragment_cache, "set_many", stored.append)
    monkeypatch.setattr(fragments.fragment_cache, "set", lambda *args: stored.append(args))
    monkeypatch.setattr(
        fragments.fragment_cache, "get_many", lambda keys: pytest.fail("preview read the cache")
    )
    staff = logged_in(curator)
    for url in (DRAFT_TIMELINE, HIDDEN_ACTOR, *EMBED_PREVIEWS):
        assert staff.get(url).status_code == 200
    assert stored == []


def test_after_a_preview_the_fragment_cache_holds_only_public_entries(drafts, curator):
    logged_in(curator).get(DRAFT_TIMELINE)
    logged_in(curator).get("/preview/embed/timelines/signs-of-a-shift/")
    assert fragments.fragment_cache.values() == []
    Client().get("/timelines/signs-of-a-shift/")
    # Entries are kept as UTF-8 bytes, the axis as text.
    cached = [v.decode() if isinstance(v, bytes) else v for v in fragments.fragment_cache.values()]
    assert cached and not any("Not public" in html or "Secret draft" in html for html in cached)


def test_a_public_embed_of_a_draft_stays_404_for_staff_and_never_reads_the_session(drafts, curator):
    response = logged_in(curator).get("/embed/events/secret-draft/")
    assert response.status_code == 404
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("url", EMBED_PREVIEWS)
def test_the_embed_preview_is_for_staff_only_and_never_cached(drafts, readers, curator, url):
    response = logged_in(curator).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response
    assert 'role="status"' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"  # not an embed anyone may frame
    for who, client in readers.items():
        refused = client.get(url)
        if refused.status_code == 302:  # not staff: the admin's login, whatever the slug
            assert refused["Location"].startswith("/admin/login/"), who
        else:  # staff without the view permission: the missing slug's 404
            assert refused.status_code == 404, who
        assert BANNER not in refused.content.decode(), who


def test_the_embed_preview_of_a_published_timeline_marks_its_draft_entry(drafts, editor):
    html = logged_in(editor).get("/preview/embed/timelines/signs-of-a-shift/").content.decode()
    assert "<strong>Staff preview.</strong>" in html
    assert BANNER not in html  # the timeline itself is public
    assert "Not public: draft" in html.split('id="e-secret-draft"')[1]


@pytest.mark.parametrize(
    ("model", "slug", "page"),
    [
        (Event, "secret-draft", "/events/secret-draft/"),
        (Timeline, "draft-timeline", "/timelines/draft-timeline/"),
        (Actor, "hidden-actor", "/actors/hidden-actor/"),
        (Event, "talks-in-riyadh", "/events/talks-in-riyadh/"),
    ],
)
def test_view_on_site_in_the_admin_leads_to_the_public_page_or_its_preview(
    drafts, curator, model, slug, page
):
    staff = logged_in(curator)
    obj = model.objects.get(slug=slug)
    form = staff.get(f"/admin/events/{model._meta.model_name}/{obj.pk}/change/")
    assert form.status_code == 200
    link = f"/admin/r/{ContentType.objects.get_for_model(model).pk}/{obj.pk}/"
    assert f'<a href="{link}" class="viewsitelink">View on site</a>' in form.content.decode()
    redirect = staff.get(link)
    assert redirect.status_code == 302
    assert redirect["Location"] == f"http://testserver{page}"
    assert obj.get_absolute_url() == page
    shown = staff.get(page)
    assert shown.status_code == 200
    assert (BANNER in shown.content.decode()) == (slug != "talks-in-riyadh")


@pytest.mark.parametrize(
    ("model", "slug", "preview"),
    [
        (Event, "secret-draft", "/preview/embed/events/secret-draft/"),
        (Timeline, "draft-timeline", "/preview/embed/timelines/draft-timeline/"),
    ],
)
def test_the_change_form_links_the_embed_preview(drafts, editor, model, slug, preview):
    obj = model.objects.get(slug=slug)
    form = logged_in(editor).get(f"/admin/events/{model._meta.model_name}/{obj.pk}/change/")
    assert f'<a href="{preview}" class="viewsitelink">Preview embed</a>' in form.content.decode()


def test_a_draft_preview_runs_a_fixed_number_of_queries(
    drafts, curator, django_assert_max_num_queries
):
    staff = logged_in(curator)
    staff.get(DRAFT_TIMELINE)  # sessions and permissions warmed
    for position in range(3, 23):
        TimelineEntryFactory(
            timeline=Timeline.objects.get(slug="draft-timeline"),
            event=EventFactory(),
            position=position,
        )
    with django_assert_max_num_queries(14):
        assert staff.get(DRAFT_TIMELINE).status_code == 200


def test_preview_links_stay_on_the_staff_host_when_the_public_url_is_elsewhere(
    drafts, curator, settings
):
    settings.TIMELINE_PUBLIC_URL = "https://timeline.example"
    html = logged_in(curator).get(DRAFT_TIMELINE).content.decode()
    assert 'href="http://testserver/events/secret-draft/"' in html
    public = Client().get("/timelines/signs-of-a-shift/").content.decode()
    assert 'href="https://timeline.example/events/talks-in-riyadh/"' in public
