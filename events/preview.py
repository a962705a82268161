"""What a request may see on the public pages: the one decision, draft preview included.

Readers (anonymous, or signed in without being staff, API-token clients alike) see what is
public; anything else is a 404 exactly like a slug that does not exist, so nothing tells them a
draft is there. Staff who may view the model (curators, editors, superusers) also see what is
not public, as a *preview*: the page says so, lists unpublished events marked as such, and is
never stored by any cache (the pages' adapter sends it `private, no-store`, without validators,
and its entries skip the shared fragment cache).

The public object is looked up first, without touching the session: a public page is the same
bytes for everyone and stays cacheable by shared caches (no `Vary: Cookie`). Only when nothing
public answers is the user asked for, so that 404 varies on Cookie for a draft and for a
missing slug alike. A caller that asks for the staff view on purpose (`preview=True`: the
admin's embed preview) gets it for public objects too, with their unpublished parts.

A pending proposal (events.reviews) is previewed with `proposal_applied()`: for staff who may
view the model, `?proposal=<review id>` on the event's or timeline's page restores the proposal
inside a transaction, the page is rendered from those rows by the usual loaders, and the
transaction is rolled back: nothing of it is ever committed (no row, stamp, feed entry or
revision). Anyone else gets the public page, the parameter unread.
"""

from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from events import revisions
from events.choices import PUBLIC_EVENT_STATUSES, ReviewStatus, TimelineStatus
from events.detail import EventDetail, load_event_detail
from events.models import Actor, Event, RevisionReview, Timeline
from events.querysets import EventQuerySet


@dataclass(frozen=True)
class Visible:
    """What a request may see of one object, and which events it may list with it."""

    obj: Any  # an EventDetail, a Timeline or an Actor
    events: EventQuerySet  # the events the page may show beside it (timelines, actors)
    is_public: bool  # the object itself is what readers see
    preview: bool = False  # a staff view: marked "not public" where it differs, never cached
    proposal: RevisionReview | None = None  # the pending change shown as if approved

    def proposing(self, proposal: "Proposal | None") -> "Visible":
        """This view as the proposal would make it: a private preview naming the proposal."""
        if proposal is None:
            return self
        return replace(self, preview=True, proposal=proposal.review)


def may_preview(user, model: type) -> bool:
    """Active staff who may view the model: the Curator and Editor groups, superusers.

    Being signed in is not enough: an API client's account without staff status never sees a
    draft on the pages (the API has its own rule, events.api.writing.can_see_unpublished)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    )


def _staff_events() -> EventQuerySet:
    """Every event, whatever its status: a staff path, with its own queryset."""
    return Event.objects.all()


def visible_event_or_404(request, slug: str, *, preview: bool = False) -> Visible:
    """The event page's detail for this request: public, else a staff preview, else 404."""
    if not preview:
        detail = load_event_detail(Event.objects.public(), slug=slug)
        if detail is not None:
            return Visible(detail, Event.objects.public(), is_public=True)
    if may_preview(request.user, Event):
        detail = load_event_detail(_staff_events(), slug=slug)
        if detail is not None:
            return Visible(detail, _staff_events(), _event_is_public(detail), preview=True)
    raise Http404("No such event.")


def _event_is_public(detail: EventDetail) -> bool:
    return detail.event["status"] in PUBLIC_EVENT_STATUSES


def visible_timeline_or_404(request, slug: str, *, preview: bool = False) -> Visible:
    """A timeline and the events it may list: published with public events, else (staff) any
    timeline with every event, unpublished ones marked, else 404."""
    if not preview:
        timeline = Timeline.objects.published().filter(slug=slug).first()
        if timeline is not None:
            return Visible(timeline, Event.objects.public(), is_public=True)
    if may_preview(request.user, Timeline):
        timeline = Timeline.objects.filter(slug=slug).first()
        if timeline is not None:
            is_public = timeline.status == TimelineStatus.PUBLISHED
            return Visible(timeline, _staff_events(), is_public, preview=True)
    raise Http404("No such timeline.")


def visible_actor_or_404(request, reference: str) -> Visible:
    """An actor (by any reference) readers may see with its public events, else (staff) any
    actor with every event it takes part in, else 404."""
    actor = Actor.objects.public().resolve(reference).get(reference)
    if actor is not None:
        return Visible(actor, Event.objects.public(), is_public=True)
    if may_preview(request.user, Actor):
        actor = Actor.objects.resolve(reference).get(reference)
        if actor is not None:
            return Visible(actor, _staff_events(), is_public=False, preview=True)
    raise Http404("No such actor.")


# --- pending proposals, as they would look approved ----------------------------------------------

PROPOSAL_PARAMETER = "proposal"


@dataclass(frozen=True)
class Proposal:
    """A pending proposal restored (uncommitted) for one request, and the slug it gives."""

    review: RevisionReview
    slug: str


def proposal_preview_url(review: RevisionReview, root=None) -> str | None:
    """The page of the proposal's event or timeline as approving it would make it (staff)."""
    root = root if root is not None else review.root
    if review.status != ReviewStatus.PENDING or not isinstance(root, Event | Timeline):
        return None
    return f"{root.get_absolute_url()}?{PROPOSAL_PARAMETER}={review.pk}"


def pending_proposals(user, model: type, pk) -> list[RevisionReview]:
    """The pending proposals for an event or timeline, oldest first, that a staff preview links
    to (none for anyone else)."""
    if not may_preview(user, model):
        return []
    return list(
        RevisionReview.objects.filter(
            root_type=ContentType.objects.get_for_model(model),
            root_id=str(pk),
            status=ReviewStatus.PENDING,
        )
        .select_related("proposed_by")
        .order_by("created_at", "pk")
    )


@contextmanager
def proposal_applied(request, model: type, slug: str):
    """Inside: the page's rows as the request's `?proposal=` would make them, or None.

    None (nothing restored, the session unread) without the parameter; None too for anyone but
    staff who may view the model, who get the public page. For them, a proposal that is not a
    pending one of this page's object is a 404. The restore runs in a transaction that is
    always rolled back, rendering included, so the caller renders inside the block.
    """
    wanted = request.GET.get(PROPOSAL_PARAMETER)
    if wanted is None or not may_preview(request.user, model):
        yield None
        return
    root = model._base_manager.filter(slug=slug).first()
    review = (
        RevisionReview.objects.filter(
            pk=int(wanted) if wanted.isdigit() else None,
            root_type=ContentType.objects.get_for_model(model),
            root_id=str(root.pk) if root is not None else None,
            status=ReviewStatus.PENDING,
        )
        .select_related("proposed_by", "revision")
        .first()
    )
    if review is None:
        raise Http404("No pending proposal of that number for this page.")
    target = revisions.state_at(root, review.revision_id)
    with transaction.atomic():
        try:
            try:
                revisions.restore(root, target, user=review.proposed_by, version=root.version)
            except ValidationError as exc:
                raise Http404(f"This proposal cannot be shown: {' '.join(exc.messages)}") from exc
            stored = model._base_manager.only("slug").get(pk=root.pk)
            yield Proposal(review, stored.slug)
        finally:
            transaction.set_rollback(True)  # a preview: nothing of it is ever committed
