"""Previewing a pending proposal: staff see the event's or timeline's page as approving the
proposal would make it (`?proposal=<review id>`), marked "not public" and never cached; readers
get the public page, the parameter unread; nothing of the preview is ever written
(events.preview.proposal_applied)."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from reversion.models import Revision, Version

from embeds import fragments
from events.models import ChangeStamp, Citation, Event, PublicChange, RevisionReview, Timeline
from tests.factories import (
    PublishedEventFactory,
    SourceFactory,
    TimelineEntryFactory,
    UserFactory,
)

BANNER = "Not public: proposed change by curator, waiting for review."
EVENT = "/events/aid-paused/"
TIMELINE = "/timelines/signs/"


@pytest.fixture(autouse=True)
def _empty_fragment_cache():
    fragments.fragment_cache.clear()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def published(db):
    event = PublishedEventFactory(slug="aid-paused", title="Aid paused")
    TimelineEntryFactory(event=event, timeline__slug="signs", timeline__title="Signs")
    return Event.objects.get(pk=event.pk)


def propose(client, url: str, obj, **changes) -> int:
    response = client.patch(
        url, changes, content_type="application/json", headers={"If-Match": f'W/"{obj.version}"'}
    )
    assert response.status_code == 202, response.content
    return response.json()["id"]


@pytest.fixture
def proposals(published, curator_client) -> dict[str, int]:
    """A curator's pending retitling of the published event and of its published timeline."""
    timeline = Timeline.objects.get(slug="signs")
    event_url, timeline_url = "/api/v1/events/aid-paused/", "/api/v1/timelines/signs/"
    return {
        "event": propose(curator_client, event_url, published, title="Aid resumed"),
        "timeline": propose(curator_client, timeline_url, timeline, title="Signs of a shift"),
    }


def reject(client, review_id: int) -> None:
    response = client.post(
        f"/api/v1/reviews/{review_id}/reject/",
        {"reason": "Not yet"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


@pytest.fixture
def readers(db) -> dict[str, Client]:
    """Everyone who must not see a proposal: anonymous, signed in without staff status, staff
    without the view permission, an API token's holder."""
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


def written() -> dict:
    """Everything a preview must leave alone."""
    return {
        "reviews": list(RevisionReview.objects.values_list("pk", "status")),
        "revisions": Revision.objects.count(),
        "versions": Version.objects.count(),
        "public changes": PublicChange.objects.count(),
        "stamps": list(ChangeStamp.objects.order_by("pk").values()),
        "events": list(Event.objects.order_by("pk").values("pk", "title", "version", "updated_at")),
        "timelines": list(Timeline.objects.values("pk", "title", "version", "updated_at")),
    }


def public(url: str) -> tuple[bytes, str]:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content, response["ETag"]


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["curator", "editor"])
def test_staff_see_the_event_as_the_proposal_would_make_it_marked_and_private(
    proposals, request, user
):
    response = logged_in(request.getfixturevalue(user)).get(
        f"{EVENT}?proposal={proposals['event']}"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Aid resumed</h1>" in html
    assert '<div class="preview-banner" role="status"><strong>' + BANNER in html
    review_url = reverse("admin:events_revisionreview_change", args=[proposals["event"]])
    assert f'href="{review_url}"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response and "Last-Modified" not in response
    assert "Cookie" in response["Vary"]
    # The page outside the preview is the approved one, for staff as for readers.
    assert "<h1>Aid paused</h1>" in logged_in(request.getfixturevalue(user)).get(EVENT).text


@pytest.mark.django_db
def test_staff_see_the_timeline_as_the_proposal_would_make_it(proposals, editor):
    response = logged_in(editor).get(f"{TIMELINE}?proposal={proposals['timeline']}")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Signs of a shift</h1>" in html
    assert BANNER in html
    assert 'id="e-aid-paused"' in html  # its public event, listed as readers would see it
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_the_embed_previews_show_a_proposal_too(proposals, curator, client):
    staff = logged_in(curator)
    event = staff.get(f"/preview/embed/events/aid-paused/?proposal={proposals['event']}")
    timeline = staff.get(f"/preview/embed/timelines/signs/?proposal={proposals['timeline']}")

    assert BANNER in event.text and ">Aid resumed</a></h1>" in event.text
    assert BANNER in timeline.text and ">Signs of a shift</a></h1>" in timeline.text
    assert event["Cache-Control"] == timeline["Cache-Control"] == "private, no-store"
    assert (
        staff.get(f"/preview/embed/events/aid-paused/?proposal={proposals['timeline']}").status_code
        == 404
    )
    # Not staff: the admin's login, as for any embed preview.
    anonymous = client.get(f"/preview/embed/events/aid-paused/?proposal={proposals['event']}")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


@pytest.mark.django_db
def test_a_proposed_new_citation_shows_on_the_preview_only(published, curator_client, editor):
    source = SourceFactory(title="Aid resumes, ministry says")
    response = curator_client.post(
        "/api/v1/citations/",
        {"event": "aid-paused", "source": source.pk, "quote": "Deliveries restart."},
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    review_id = response.json()["id"]

    preview = logged_in(editor).get(f"{EVENT}?proposal={review_id}").text
    assert "Aid resumes, ministry says" in preview and "Deliveries restart." in preview
    assert "Deliveries restart." not in Client().get(EVENT).text
    assert Citation.objects.filter(event=published).count() == 1


@pytest.mark.django_db
def test_a_proposal_that_renames_the_slug_is_previewed_at_the_current_address(
    published, curator_client, editor
):
    review_id = propose(curator_client, "/api/v1/events/aid-paused/", published, slug="aid-resumed")
    response = logged_in(editor).get(f"{EVENT}?proposal={review_id}")
    assert response.status_code == 200
    assert BANNER in response.content.decode()
    assert Event.objects.filter(slug="aid-paused").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [EVENT, TIMELINE])
def test_readers_get_the_public_page_with_nothing_of_the_proposal(proposals, readers, url):
    review_id = proposals["event" if url == EVENT else "timeline"]
    body, _etag = public(url)
    for who, client in readers.items():
        for wanted in (review_id, proposals["timeline" if url == EVENT else "event"], 999, "x"):
            response = client.get(f"{url}?proposal={wanted}")
            assert response.status_code == 200, who
            assert response.content == body, who
            html = response.content.decode()
            assert "Aid resumed" not in html and "Signs of a shift" not in html, who
            assert "preview-banner" not in html and "proposal" not in html, who
            assert response["Cache-Control"].startswith("public"), who


@pytest.mark.django_db
def test_staff_get_a_404_for_a_proposal_not_of_this_page_or_no_longer_pending(
    proposals, curator, editor_client
):
    staff = logged_in(curator)
    event, timeline = proposals["event"], proposals["timeline"]
    for url in (
        f"{EVENT}?proposal={timeline}",  # another object's
        f"{TIMELINE}?proposal={event}",
        f"{EVENT}?proposal=999",
        f"{EVENT}?proposal=x",
        f"{EVENT}?proposal=",
    ):
        assert staff.get(url).status_code == 404, url
    reject(editor_client, event)
    assert staff.get(f"{EVENT}?proposal={event}").status_code == 404


@pytest.mark.django_db
def test_the_review_page_and_the_staff_preview_link_to_the_proposal_preview(
    proposals, editor_client, curator
):
    url = f"{EVENT}?proposal={proposals['event']}"
    review = editor_client.get(
        reverse("admin:events_revisionreview_change", args=[proposals["event"]])
    ).content.decode()
    assert f'href="{url}"' in review and "Preview this proposal" in review

    embed_preview = logged_in(curator).get("/preview/embed/events/aid-paused/").content.decode()
    assert f'<a href="{url}">Preview this proposal</a> (by curator)' in embed_preview
    timeline_preview = logged_in(curator).get("/preview/embed/timelines/signs/").content.decode()
    assert f'<a href="{TIMELINE}?proposal={proposals["timeline"]}">Preview' in timeline_preview

    # Decided, it is not offered any more.
    reject(editor_client, proposals["event"])
    review = editor_client.get(
        reverse("admin:events_revisionreview_change", args=[proposals["event"]])
    ).content.decode()
    assert "Preview this proposal" not in review
    assert (
        "Preview this proposal"
        not in logged_in(curator).get("/preview/embed/events/aid-paused/").content.decode()
    )


def staff_user(username: str, *codenames: str):
    """Staff with explicit permissions: a transactional test may run after a flush erased the
    groups a data migration seeds."""
    user = UserFactory(username=username)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.mark.flushes_database
@pytest.mark.django_db(transaction=True)
def test_a_preview_writes_nothing_and_leaves_the_public_pages_alone(published):
    """Without a test transaction around it: the preview's own transaction is the outer one,
    and its rollback is the only thing that keeps the restored rows out."""
    may = ("view_event", "change_event", "view_timeline", "change_timeline")
    curator = staff_user("curator", *may)
    editor = staff_user("editor", *may, "publish_event")
    proposals = {
        "event": propose(
            logged_in(curator), "/api/v1/events/aid-paused/", published, title="Aid resumed"
        ),
        "timeline": propose(
            logged_in(curator),
            "/api/v1/timelines/signs/",
            Timeline.objects.get(),
            title="Signs of a shift",
        ),
    }
    before = {url: public(url) for url in (EVENT, TIMELINE)}
    stored = written()

    for user in (curator, editor):
        client = logged_in(user)
        assert BANNER in client.get(f"{EVENT}?proposal={proposals['event']}").text
        assert "Aid resumed" in client.get(f"{EVENT}?proposal={proposals['event']}").text
        timeline = client.get(f"{TIMELINE}?proposal={proposals['timeline']}")
        assert "Signs of a shift" in timeline.text

    assert written() == stored
    assert {url: public(url) for url in (EVENT, TIMELINE)} == before
    assert Event.objects.get().title == "Aid paused"
    assert Timeline.objects.get().title == "Signs"
