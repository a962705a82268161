import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events.choices import CitationStance, EventStatus
from events.models import Event
from events.services import (
    deletion_conflict,
    event_publish,
    event_publish_problems,
    event_retract,
    event_submit_for_review,
    event_unpublish,
)
from tests.factories import CitationFactory, EventFactory, PublishedEventFactory, UserFactory


@pytest.fixture
def cited_draft(db):
    return CitationFactory(stance=CitationStance.SUPPORTS).event


def stored(event: Event) -> Event:
    return Event.objects.get(pk=event.pk)


# -- publish -----------------------------------------------------------------------------------


def test_an_editor_publishes_a_cited_draft(editor, cited_draft):
    before = timezone.now()

    event_publish(event=cited_draft, user=editor)

    event = stored(cited_draft)
    assert event.status == EventStatus.PUBLISHED
    assert event.published_at >= before
    assert event.updated_by == editor
    assert Event.objects.public().filter(pk=event.pk).exists()


def test_a_curator_may_not_publish(curator, cited_draft):
    with pytest.raises(PermissionDenied, match="Only editors may publish"):
        event_publish(event=cited_draft, user=curator)
    assert stored(cited_draft).status == EventStatus.DRAFT


@pytest.mark.parametrize("user", [None, AnonymousUser()])
def test_nobody_publishes_without_an_account(cited_draft, user):
    with pytest.raises(PermissionDenied):
        event_publish(event=cited_draft, user=user)


def test_a_superuser_may_publish(cited_draft):
    admin = UserFactory(username="root", is_superuser=True)
    event_publish(event=cited_draft, user=admin)
    assert stored(cited_draft).status == EventStatus.PUBLISHED


def test_publishing_an_uncited_event_is_refused_with_what_to_do(editor):
    event = EventFactory(title="Uncited")

    with pytest.raises(ValidationError) as excinfo:
        event_publish(event=event, user=editor)

    assert excinfo.value.messages == [
        "“Uncited” cannot be published: Every published claim needs a source: "
        "add a citation with stance “supports”."
    ]
    assert stored(event).status == EventStatus.DRAFT
    assert stored(event).published_at is None


@pytest.mark.parametrize("stance", [CitationStance.CONTRADICTS, CitationStance.CONTEXT])
def test_citations_that_do_not_support_the_event_do_not_count(editor, stance):
    event = CitationFactory(stance=stance).event

    with pytest.raises(ValidationError, match="add a citation with stance “supports”"):
        event_publish(event=event, user=editor)
    assert stored(event).status == EventStatus.DRAFT


def test_a_supporting_citation_of_another_event_does_not_count(editor):
    CitationFactory()
    event = EventFactory()
    assert event_publish_problems(event)


def test_publishing_twice_is_refused(editor, cited_draft):
    event_publish(event=cited_draft, user=editor)
    with pytest.raises(ValidationError, match="already published"):
        event_publish(event=cited_draft, user=editor)


def test_republishing_keeps_the_first_publication_time(editor, cited_draft):
    event_publish(event=cited_draft, user=editor)
    first = stored(cited_draft).published_at
    event_unpublish(event=cited_draft, user=editor)

    event_publish(event=cited_draft, user=editor)

    assert stored(cited_draft).published_at == first


def test_publishing_clears_an_old_retraction_reason(editor, cited_draft):
    Event.objects.filter(pk=cited_draft.pk).update(retraction_reason="The date was wrong.")

    event_publish(event=stored(cited_draft), user=editor)

    assert stored(cited_draft).retraction_reason == ""


# -- unpublish ---------------------------------------------------------------------------------


def test_unpublishing_takes_an_event_back_to_draft_and_out_of_public_view(editor):
    event = PublishedEventFactory()

    event_unpublish(event=event, user=editor)

    assert stored(event).status == EventStatus.DRAFT
    assert not Event.objects.public().filter(pk=event.pk).exists()


def test_a_curator_may_not_unpublish(curator):
    event = PublishedEventFactory()
    with pytest.raises(PermissionDenied):
        event_unpublish(event=event, user=curator)
    assert stored(event).status == EventStatus.PUBLISHED


def test_only_published_events_can_be_unpublished(editor, cited_draft):
    with pytest.raises(ValidationError, match="is not published, so it cannot be unpublished"):
        event_unpublish(event=cited_draft, user=editor)


# -- retract -----------------------------------------------------------------------------------


def test_retracting_keeps_the_event_public_with_its_reason(editor):
    event = PublishedEventFactory()

    event_retract(event=event, user=editor, reason="  The date was wrong.  ")

    event = stored(event)
    assert (event.status, event.retraction_reason) == (EventStatus.RETRACTED, "The date was wrong.")
    assert Event.objects.public().filter(pk=event.pk).exists()
    assert not Event.objects.published().filter(pk=event.pk).exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_retracting_needs_a_reason(editor, reason):
    event = PublishedEventFactory()
    with pytest.raises(ValidationError, match="Say why the event is retracted"):
        event_retract(event=event, user=editor, reason=reason)
    assert stored(event).status == EventStatus.PUBLISHED


def test_only_published_events_can_be_retracted(editor, cited_draft):
    with pytest.raises(ValidationError, match="Only published events can be retracted"):
        event_retract(event=cited_draft, user=editor, reason="Wrong.")
    assert stored(cited_draft).status == EventStatus.DRAFT


def test_a_curator_may_not_retract(curator):
    event = PublishedEventFactory()
    with pytest.raises(PermissionDenied):
        event_retract(event=event, user=curator, reason="Wrong.")


# -- review and deletion -----------------------------------------------------------------------


def test_a_curator_submits_a_draft_for_review(curator, cited_draft):
    event_submit_for_review(event=cited_draft, user=curator)
    event = stored(cited_draft)
    assert (event.status, event.updated_by) == (EventStatus.IN_REVIEW, curator)
    with pytest.raises(ValidationError, match="Only drafts can be submitted for review"):
        event_submit_for_review(event=event, user=curator)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.IN_REVIEW])
def test_never_published_events_may_be_deleted(status):
    assert deletion_conflict(EventFactory(status=status)) is None


@pytest.mark.django_db
def test_published_and_retracted_events_must_be_retracted_not_deleted():
    published = PublishedEventFactory(title="Aid pause")
    retracted = PublishedEventFactory(
        status=EventStatus.RETRACTED, retraction_reason="Wrong.", start_date=dt.date(2025, 3, 3)
    )
    assert deletion_conflict(published) == (
        "“Aid pause” has been published: it is never deleted. Retract it with a reason "
        "(or unpublish it), so readers, embeds and sync clients that showed it keep "
        "an explanation."
    )
    assert "Retract it with a reason" in deletion_conflict(retracted)
