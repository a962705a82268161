"""Writes with rules that span several models. The admin, the API and commands all call these."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from events.choices import EventStatus
from events.models import Event

PUBLISH_PERMISSION = "events.publish_event"


def _save_as(event: Event, user, fields: list[str]) -> None:
    event.updated_by = user if user and user.is_authenticated else None
    event._history_user = event.updated_by  # simple_history: record who, outside a request too
    event.save(update_fields=[*fields, "updated_by", "updated_at"])


def _require_publish_permission(user) -> None:
    if user is None or not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("Only editors may publish, unpublish or retract events.")


def event_publish_problems(event: Event) -> list[str]:
    """Why the event cannot be published yet (empty when it can)."""
    problems = []
    if event.status == EventStatus.PUBLISHED:
        problems.append("It is already published.")
    if not Event.objects.filter(pk=event.pk).with_supporting_citation().exists():
        problems.append(
            "Every published claim needs a source: add a citation with stance “supports”."
        )
    return problems


@transaction.atomic
def event_publish(*, event: Event, user) -> Event:
    """Publish an event: needs the publish permission and at least one supporting citation."""
    _require_publish_permission(user)
    problems = event_publish_problems(event)
    if problems:
        raise ValidationError(f"“{event}” cannot be published: " + " ".join(problems))
    event.status = EventStatus.PUBLISHED
    event.retraction_reason = ""
    event.published_at = event.published_at or timezone.now()
    _save_as(event, user, ["status", "retraction_reason", "published_at"])
    return event


@transaction.atomic
def event_unpublish(*, event: Event, user) -> Event:
    """Take a published event back to draft (to fix it); readers stop seeing it."""
    _require_publish_permission(user)
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(f"“{event}” is not published, so it cannot be unpublished.")
    event.status = EventStatus.DRAFT
    _save_as(event, user, ["status"])
    return event


@transaction.atomic
def event_retract(*, event: Event, user, reason: str) -> Event:
    """Retract a published event: it stays visible to readers with the reason, never vanishes."""
    _require_publish_permission(user)
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(f"Only published events can be retracted; “{event}” is not.")
    if not reason.strip():
        raise ValidationError("Say why the event is retracted; readers will see the reason.")
    event.status = EventStatus.RETRACTED
    event.retraction_reason = reason.strip()
    _save_as(event, user, ["status", "retraction_reason"])
    return event


@transaction.atomic
def event_submit_for_review(*, event: Event, user) -> Event:
    """A curator hands a draft to the editors."""
    if event.status != EventStatus.DRAFT:
        raise ValidationError(f"Only drafts can be submitted for review; “{event}” is not.")
    event.status = EventStatus.IN_REVIEW
    _save_as(event, user, ["status"])
    return event


def event_deletion_blocker(event: Event) -> str | None:
    """Why the event may not be deleted (published events are retracted instead), or None."""
    if event.status in (EventStatus.PUBLISHED, EventStatus.RETRACTED):
        return (
            f"“{event}” has been published: retract it with a reason instead of deleting it, "
            "so readers and embeds that cited it keep an explanation."
        )
    return None
