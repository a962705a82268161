"""Published means approved (DESIGN.md): a curator's change to a published event or timeline,
or to any of their parts, does not go live. It is kept as a proposed revision, and readers keep
the last approved version on every surface until an editor approves it (it is then restored
live, as a revision by the editor) or rejects it with a reason the curator sees. An editor's
own change is approved by being made.

`write_or_propose()` is the one gate: the admin and the API run a write through it. The write
is made in a savepoint; if it changed a published aggregate and the writer may not publish, the
aggregate as the write left it is serialised into a pending revision (a `RevisionReview` with
its django-reversion `Revision`), and the savepoint is rolled back: the live rows, the change
stamps (the public ETag does not move) and the changes feed are as if nothing happened.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.utils import timezone
from reversion.models import Revision, Version

from events import revisions
from events.choices import PUBLIC_EVENT_STATUSES, ReviewStatus, TimelineStatus
from events.models import ChangeStamp, Event, RevisionReview, Timeline

# Editors hold it (events.services.PUBLISH_PERMISSION): they approve and reject.
REVIEW_PERMISSION = "events.publish_event"
DEFAULT_REASON = "Proposed change"


def is_published(root) -> bool:
    """Whether readers see the aggregate, so that a change to it needs an editor."""
    if isinstance(root, Event):
        return root.status in PUBLIC_EVENT_STATUSES
    if isinstance(root, Timeline):
        return root.status == TimelineStatus.PUBLISHED
    return False


def may_review(user) -> bool:
    return user is not None and user.is_authenticated and user.has_perm(REVIEW_PERMISSION)


class _Held(Exception):
    """Control flow only: rolls the savepoint of a held write back."""


@dataclass
class Outcome:
    """What a write through the gate did: its result, and the reviews it is held for."""

    result: object
    held: list[RevisionReview]


def write_or_propose(
    *, user: Callable, write: Callable, succeeded: Callable = lambda result: True
) -> Outcome:
    """Run `write()`; if it changed a published event or timeline and `user()` may not
    publish, hold it for review instead (see the module docstring).

    `user` is called after the write (an API token authenticates inside the view);
    `succeeded(result)` says whether the write went through (an API error response did not).
    """
    with revisions.recorded() as frame:
        outer, frame.touched = frame.touched, {}
        captured: list = []
        try:
            with transaction.atomic():
                result = write()
                who = user()
                if succeeded(result) and not may_review(who):
                    captured = _changed_published(frame.touched)
                if captured:
                    raise _Held
        except _Held:
            frame.touched = outer  # the write was undone: nothing of it to record
            reason = "; ".join(frame.reasons) or DEFAULT_REASON
            frame.reasons.clear()
            held = [
                _propose(root_model, pk, items, who, reason) for root_model, pk, items in captured
            ]
            return Outcome(result, held)
        finally:
            if not captured:
                frame.touched = {**outer, **frame.touched}
    return Outcome(result, [])


def _changed_published(touched) -> list:
    found = []
    for model, pk in touched:
        root = model._base_manager.filter(pk=pk).first()
        if root is not None and is_published(root):
            found.append((model, pk, revisions.serialize_aggregate(root)))
    return found


def _propose(model, pk, items, user, reason: str) -> RevisionReview:
    root = model._base_manager.get(pk=pk)  # as it is live again
    revision = Revision.objects.create(
        date_created=timezone.now(),
        user=user if user is not None and user.is_authenticated else None,
        comment=reason,
    )
    Version.objects.bulk_create(
        [
            Version(
                revision=revision,
                content_type=ContentType.objects.get_for_model(part_model),
                object_id=part_pk,
                db=router.db_for_write(part_model),
                format="json",
                serialized_data=data,
                object_repr=shown,
            )
            for part_model, part_pk, data, shown in items
        ]
    )
    review = RevisionReview.objects.create(
        revision=revision,
        root_type=ContentType.objects.get_for_model(model),
        root_id=str(pk),
        root_repr=str(root)[:300],
        base_version=root.version,
        proposed_by=revision.user,
    )
    ChangeStamp.bump(public=False)  # the staff's views (the queue) changed; readers' did not
    return review


# --- the editor's decision ---------------------------------------------------------------------


def _require_reviewer(user) -> None:
    if not may_review(user):
        raise PermissionDenied("Only editors may approve or reject proposed changes.")


def _pending(review: RevisionReview) -> RevisionReview:
    review = RevisionReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.PENDING:
        raise ValidationError(
            f"This change was already {review.get_status_display().lower()}; nothing was done."
        )
    return review


@transaction.atomic
def review_approve(*, review: RevisionReview, user) -> RevisionReview:
    """Make the proposed change live, as a revision by the editor, through the aggregate's
    rules (a published event keeps a supporting citation …)."""
    _require_reviewer(user)
    review = _pending(review)
    root = review.root
    if root is None:
        raise ValidationError(f"“{review.root_repr}” no longer exists; reject this change.")
    if root.version != review.base_version:
        raise ValidationError(
            f"“{root}” changed since this was proposed (version {review.base_version}, now "
            f"{root.version}): approving would overwrite that change. Reject this one and ask "
            "for it again on the current version."
        )
    target = revisions.state_at(root, review.revision_id)
    who = review.proposed_by.get_username() if review.proposed_by else "someone"
    reason = f"Approved the change proposed by {who}: {review.revision.comment}"
    with revisions.recorded(user, reason):
        revisions.restore(root, target, user=user, version=root.version)
    review.status = ReviewStatus.APPROVED
    review.reviewed_by, review.reviewed_at = user, timezone.now()
    review.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return review


@transaction.atomic
def review_reject(*, review: RevisionReview, user, reason: str) -> RevisionReview:
    """Keep the change out, with a reason the curator sees."""
    _require_reviewer(user)
    if not (reason or "").strip():
        raise ValidationError("Say why the change is rejected; the curator sees the reason.")
    review = _pending(review)
    review.status = ReviewStatus.REJECTED
    review.reason = reason.strip()
    review.reviewed_by, review.reviewed_at = user, timezone.now()
    review.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])
    ChangeStamp.bump(public=False)
    return review


# --- reading -----------------------------------------------------------------------------------


def visible_reviews(user):
    """Editors see every proposed change; anyone else only the ones they proposed."""
    reviews = RevisionReview.objects.select_related(
        "revision", "proposed_by", "reviewed_by", "root_type"
    )
    if may_review(user):
        return reviews
    if user is None or not user.is_authenticated:
        return reviews.none()
    return reviews.filter(proposed_by=user)


def proposed_diff(review: RevisionReview) -> revisions.Diff:
    """What approving would change: the live aggregate against the proposed one."""
    root = review.root
    target = revisions.state_at(root, review.revision_id) if root is not None else None
    if target is None:
        return revisions.Diff([], [])
    return revisions.diff(revisions.current_state(root), target)


def proposals_for(root) -> list[RevisionReview]:
    """The changes proposed to `root`, newest first, whatever became of them."""
    return list(
        RevisionReview.objects.filter(
            root_type=ContentType.objects.get_for_model(type(root)), root_id=str(root.pk)
        ).select_related("proposed_by", "reviewed_by", "revision")
    )
