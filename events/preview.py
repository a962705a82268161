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

Pending revisions (issue 9.2) plug in here, and only here: a staff preview would load the
pending revision instead of the stored row, and `preview=True` requests see it for published
objects. The callers already treat every `Visible(preview=True)` as private.
"""

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from events.choices import PUBLIC_EVENT_STATUSES, TimelineStatus
from events.detail import EventDetail, load_event_detail
from events.models import Actor, Event, Timeline
from events.querysets import EventQuerySet


@dataclass(frozen=True)
class Visible:
    """What a request may see of one object, and which events it may list with it."""

    obj: Any  # an EventDetail, a Timeline or an Actor
    events: EventQuerySet  # the events the page may show beside it (timelines, actors)
    is_public: bool  # the object itself is what readers see
    preview: bool = False  # a staff view: marked "not public" where it differs, never cached


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
