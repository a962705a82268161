"""events.preview: who may see what is not public on the pages (the HTTP side is
tests/embeds/test_preview.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from events.choices import TimelineStatus
from events.models import Actor, Event, Timeline
from events.preview import (
    may_preview,
    visible_event_or_404,
    visible_timeline_or_404,
)
from tests.factories import EventFactory, PublishedEventFactory, TimelineFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("anonymous", False),
        ("curator", True),
        ("editor", True),
        ("superuser", True),
        ("curator without staff status", False),
        ("inactive curator", False),
        ("staff in no group", False),
    ],
)
def test_only_active_staff_who_may_view_the_model_may_preview(who, allowed):
    users = {
        "anonymous": lambda: AnonymousUser(),
        "curator": lambda: UserFactory(groups=["Curator"]),
        "editor": lambda: UserFactory(groups=["Editor"]),
        "superuser": lambda: UserFactory(is_superuser=True),
        "curator without staff status": lambda: UserFactory(is_staff=False, groups=["Curator"]),
        "inactive curator": lambda: UserFactory(is_active=False, groups=["Curator"]),
        "staff in no group": lambda: UserFactory(),
    }
    user = users[who]()
    assert [may_preview(user, model) for model in (Event, Timeline, Actor)] == [allowed] * 3


def request_by(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


class UntouchedUser:
    """A user the decision must not look at (as if reading it cost a session lookup)."""

    def __getattr__(self, name):
        raise AssertionError(f"read user.{name} for a public object")


def test_a_public_event_is_decided_without_looking_at_the_user():
    PublishedEventFactory(slug="public")
    visible = visible_event_or_404(request_by(UntouchedUser()), "public")
    assert (visible.is_public, visible.preview) == (True, False)
    timeline = TimelineFactory(slug="public-timeline")
    visible = visible_timeline_or_404(request_by(UntouchedUser()), timeline.slug)
    assert (visible.is_public, visible.preview) == (True, False)


def test_a_draft_is_a_404_for_readers_and_a_preview_for_a_curator():
    EventFactory(slug="draft")
    TimelineFactory(slug="draft-timeline", status=TimelineStatus.DRAFT)
    for lookup, slug in (
        (visible_event_or_404, "draft"),
        (visible_timeline_or_404, "draft-timeline"),
    ):
        with pytest.raises(Http404):
            lookup(request_by(AnonymousUser()), slug)
        visible = lookup(request_by(UserFactory(groups=["Curator"])), slug)
        assert (visible.is_public, visible.preview) == (False, True)


def test_asking_for_the_preview_of_a_public_timeline_lists_every_event():
    timeline = TimelineFactory(slug="public-timeline")
    draft = EventFactory()
    visible = visible_timeline_or_404(
        request_by(UserFactory(groups=["Editor"])), timeline.slug, preview=True
    )
    assert (visible.is_public, visible.preview) == (True, True)
    assert visible.events.filter(pk=draft.pk).exists()
    with pytest.raises(Http404):
        visible_timeline_or_404(request_by(AnonymousUser()), timeline.slug, preview=True)
