"""Published means approved: a curator's change to published content waits for an editor, and
readers see the approved version on every surface until then (events.reviews)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from events import revisions
from events.choices import ReviewStatus, TimelineStatus
from events.models import Citation, Event, RevisionReview, Timeline
from tests.events.test_admin import admin_url, messages_of, post_form
from tests.factories import (
    PublishedEventFactory,
    SourceFactory,
    TimelineEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    event = PublishedEventFactory(slug="aid-paused", title="Aid paused")
    TimelineEntryFactory(event=event, timeline__slug="signs", timeline__title="Signs")
    return Event.objects.get(pk=event.pk)


def if_match(slug: str) -> dict:
    return {"If-Match": f'W/"{Event.objects.get(slug=slug).version}"'}


def patch_title(client, title="Aid resumed", **headers):
    return client.patch(
        "/api/v1/events/aid-paused/",
        {"title": title},
        content_type="application/json",
        headers={**if_match("aid-paused"), **headers},
    )


PUBLIC_URLS = (
    "/api/v1/events/aid-paused/",
    "/api/v1/events/",
    "/api/v1/events/changes/",
    "/api/v1/events/?format=csv",
    "/api/v1/events/?format=ics",
    "/api/v1/events/?format=atom",
    "/api/v1/events/?format=timelinejs",
    "/api/v1/events/aid-paused/?format=jsonld",
    "/api/v1/timeline/",
    "/events/aid-paused/",
    "/timelines/signs/",
    "/embed/timelines/signs/",
    "/embed/events/aid-paused/",
)


def public_surfaces() -> dict[str, tuple[bytes, str]]:
    """What an anonymous reader gets from every surface: the body and the ETag."""
    reader = Client()
    found = {}
    for url in PUBLIC_URLS:
        response = reader.get(url)
        assert response.status_code == 200, url
        found[url] = (response.content, response.get("ETag", ""))
    return found


def test_a_curators_api_edit_to_a_published_event_waits_and_readers_see_nothing_change(
    curator_client, published
):
    before = public_surfaces()

    response = patch_title(curator_client, **{"X-Change-Reason": "It resumed"})

    assert response.status_code == 202, response.content
    data = response.json()
    assert (data["status"], data["proposed_by"], data["proposal_reason"]) == (
        "pending",
        "curator",
        "It resumed",
    )
    assert {"field": "title", "label": "title", "old": "Aid paused", "new": "Aid resumed"} in (
        data["diff"]["changes"]
    )
    assert data["url"].endswith(f"/api/v1/reviews/{data['id']}/")
    assert response["Location"] == data["url"]
    assert Event.objects.get(pk=published.pk).title == "Aid paused"
    assert Event.objects.get(pk=published.pk).version == published.version
    assert public_surfaces() == before
    assert revisions.latest(published) is None  # nothing happened to its history


def test_a_curators_new_citation_on_a_published_event_waits_too(curator_client, published):
    source = SourceFactory()  # a new source is public news of its own
    before = public_surfaces()
    response = curator_client.post(
        "/api/v1/citations/",
        {"event": "aid-paused", "source": source.pk, "quote": "New."},
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    assert [p["action"] for p in response.json()["diff"]["parts"]] == ["added"]
    assert Citation.objects.filter(event=published).count() == 1
    assert public_surfaces() == before


def test_a_curators_admin_edit_to_a_published_event_waits(curator_client, published):
    before = public_surfaces()

    response = post_form(
        curator_client,
        admin_url(Event, "change", published.pk),
        title="Aid resumed",
        change_reason="It resumed",
    )

    assert response.status_code == 302
    shown = " ".join(messages_of(curator_client.get(response.url)))
    assert "waits for an editor's review" in shown
    assert "changed successfully" not in shown
    assert Event.objects.get(pk=published.pk).title == "Aid paused"
    assert public_surfaces() == before
    review = RevisionReview.objects.get()
    assert (review.status, review.proposed_by.username) == ("pending", "curator")
    assert review.revision.comment.startswith("It resumed")


def test_approving_makes_it_live_as_a_revision_by_the_editor(
    curator_client, editor_client, editor, published
):
    review_id = patch_title(curator_client).json()["id"]
    before = public_surfaces()

    response = editor_client.post(f"/api/v1/reviews/{review_id}/approve/")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    assert Event.objects.get(pk=published.pk).title == "Aid resumed"
    after = public_surfaces()
    assert after["/api/v1/events/aid-paused/"] != before["/api/v1/events/aid-paused/"]
    assert b"Aid resumed" in after["/events/aid-paused/"][0]
    revision = revisions.latest(published)
    assert revision.user == editor
    assert revision.comment.startswith("Approved the change proposed by curator")


def test_rejecting_keeps_it_out_and_the_curator_reads_why(curator_client, editor_client, published):
    review_id = patch_title(curator_client).json()["id"]
    before = public_surfaces()

    no_reason = editor_client.post(
        f"/api/v1/reviews/{review_id}/reject/", {}, content_type="application/json"
    )
    assert no_reason.status_code == 400
    response = editor_client.post(
        f"/api/v1/reviews/{review_id}/reject/",
        {"reason": "No source says it resumed."},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert public_surfaces() == before
    mine = curator_client.get(f"/api/v1/reviews/{review_id}/").json()
    assert (mine["status"], mine["decision_reason"], mine["reviewed_by"]) == (
        "rejected",
        "No source says it resumed.",
        "editor",
    )
    page = curator_client.get(admin_url(RevisionReview, "change", review_id)).content.decode()
    assert "No source says it resumed." in page
    history = curator_client.get(admin_url(Event, "history", published.pk)).content.decode()
    assert "Rejected, because: No source says it resumed." in history
    again = editor_client.post(f"/api/v1/reviews/{review_id}/approve/")
    assert again.status_code == 400  # decided once
    assert Event.objects.get(pk=published.pk).title == "Aid paused"


def test_an_editors_own_edit_goes_live_and_is_recorded(editor_client, editor, published):
    response = patch_title(editor_client)
    assert response.status_code == 200, response.content
    assert Event.objects.get(pk=published.pk).title == "Aid resumed"
    assert not RevisionReview.objects.exists()
    assert revisions.latest(published).user == editor


def test_a_curators_edit_to_a_draft_goes_live(curator_client):
    PublishedEventFactory(slug="other")
    draft = Event.objects.create(
        title="Draft",
        slug="a-draft",
        event_type=Event.objects.get(slug="other").event_type,
        start_date="2025-01-01",
    )
    response = curator_client.patch(
        "/api/v1/events/a-draft/",
        {"title": "Better draft"},
        content_type="application/json",
        headers={"If-Match": f'W/"{draft.version}"'},
    )
    assert response.status_code == 200
    assert not RevisionReview.objects.exists()


def test_a_curators_change_to_a_published_timeline_waits(curator_client, published):
    timeline = Timeline.objects.get(slug="signs")
    assert timeline.status == TimelineStatus.PUBLISHED
    response = curator_client.patch(
        "/api/v1/timelines/signs/",
        {"title": "Signs of a shift"},
        content_type="application/json",
        headers={"If-Match": f'W/"{timeline.version}"'},
    )
    assert response.status_code == 202, response.content
    assert Timeline.objects.get(pk=timeline.pk).title == "Signs"


def test_approving_a_stale_proposal_is_refused(curator_client, editor_client, published):
    review_id = patch_title(curator_client).json()["id"]
    assert patch_title(editor_client, title="Aid paused again").status_code == 200

    response = editor_client.post(f"/api/v1/reviews/{review_id}/approve/")

    assert response.status_code == 400
    assert "changed since this was proposed" in response.json()["detail"]
    assert Event.objects.get(pk=published.pk).title == "Aid paused again"
    assert RevisionReview.objects.get().status == ReviewStatus.PENDING


def test_the_admin_queue_approves(curator_client, editor_client, published):
    patch_title(curator_client)
    review = RevisionReview.objects.get()
    queue = editor_client.get(admin_url(RevisionReview, "changelist")).content.decode()
    assert "Aid paused" in queue
    page = editor_client.get(admin_url(RevisionReview, "change", review.pk)).content.decode()
    assert "Aid resumed" in page and "Approve and publish this change" in page

    response = editor_client.post(reverse("admin:events_revisionreview_approve", args=[review.pk]))

    assert response.status_code == 302
    assert Event.objects.get(pk=published.pk).title == "Aid resumed"


def test_a_curators_revert_of_a_published_event_waits_too(curator_client, editor, published):
    with revisions.recorded(editor, "as published"):
        published.save()
    first = revisions.latest(published)
    patch_title(Client(), title="x")  # anonymous: refused, changes nothing
    with revisions.recorded(editor, "retitled"):
        event = Event.objects.get(pk=published.pk)
        event.title = "Aid paused for good"
        event.save()
    before = public_surfaces()

    response = post_form(curator_client, admin_url(Event, "revert", published.pk, first.pk))

    assert response.status_code == 302
    assert Event.objects.get(pk=published.pk).title == "Aid paused for good"
    assert public_surfaces() == before
    assert RevisionReview.objects.get().status == ReviewStatus.PENDING


def test_a_proposal_cannot_be_applied_as_a_revert(curator_client, editor, published):
    review_id = patch_title(curator_client).json()["id"]
    proposal = RevisionReview.objects.get(pk=review_id).revision_id
    with pytest.raises(ValidationError):
        revisions.revert(
            root=published, revision_id=proposal, user=editor, version=published.version
        )


# --- who may do what: a cell that changes fails the test ---------------------------------------

EXPECTED = {
    # (who, action): status code
    ("anonymous", "list"): 401,
    ("anonymous", "approve"): 401,
    ("anonymous", "reject"): 401,
    ("anonymous", "history"): 401,
    ("curator", "list"): 403,
    ("curator", "approve"): 403,
    ("curator", "reject"): 403,
    ("curator", "history"): 200,
    ("editor", "list"): 200,
    ("editor", "approve"): 200,
    ("editor", "reject"): 200,
    ("editor", "history"): 200,
    ("superuser", "list"): 200,
    ("superuser", "approve"): 200,
    ("superuser", "reject"): 200,
    ("superuser", "history"): 200,
    ("reader", "list"): 403,
    ("reader", "approve"): 403,
    ("reader", "reject"): 403,
    ("reader", "history"): 403,
}


def _client(who: str) -> Client:
    client = Client()
    users = {
        "curator": lambda: UserFactory(username="curator2", groups=["Curator"]),
        "editor": lambda: UserFactory(username="editor2", groups=["Editor"]),
        "superuser": lambda: UserFactory(username="root", is_superuser=True),
        "reader": lambda: UserFactory(username="reader"),
    }
    if who in users:
        client.force_login(users[who]())
    return client


@pytest.mark.parametrize(
    ("who", "action"), [pytest.param(*cell, id="-".join(cell)) for cell in sorted(EXPECTED)]
)
def test_the_permission_matrix(curator_client, published, who, action):
    review_id = patch_title(curator_client).json()["id"]
    client = _client(who)
    response = {
        "list": lambda: client.get("/api/v1/reviews/"),
        "approve": lambda: client.post(f"/api/v1/reviews/{review_id}/approve/"),
        "reject": lambda: client.post(
            f"/api/v1/reviews/{review_id}/reject/",
            {"reason": "No."},
            content_type="application/json",
        ),
        "history": lambda: client.get("/api/v1/events/aid-paused/history/"),
    }[action]()
    assert response.status_code == EXPECTED[(who, action)], response.content


def test_the_admin_index_counts_the_proposed_changes_waiting(
    curator_client, editor_client, published
):
    assert patch_title(curator_client).status_code == 202
    queue = reverse("admin:events_revisionreview_changelist") + "?status__exact=pending"
    for client in (editor_client, curator_client):  # editors decide; curators see their own
        html = client.get(reverse("admin:index")).content.decode()
        assert (
            f'<a href="{queue}"><span class="count">1</span> Proposed changes waiting</a>' in html
        )
        assert client.get(queue).status_code == 200
