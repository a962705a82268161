"""The admin index's dashboard: what waits for curators and editors."""

from django import template
from django.db.models import Count, Q
from django.urls import reverse

from events import reviews
from events.choices import EventStatus, LinkStatus, ReviewStatus
from events.models import Event, Source

register = template.Library()


@register.inclusion_tag("admin/events/dashboard.html", takes_context=True)
def curator_dashboard(context):
    """Drafts and events in review (one query), proposed changes waiting for an editor and
    sources whose link is dead (one query each), each linked to its filtered list."""
    request = context["request"]
    if not request.user.has_perm("events.view_event"):
        return {"counts": []}
    counted = Event.objects.aggregate(
        drafts=Count("pk", filter=Q(status=EventStatus.DRAFT)),
        in_review=Count("pk", filter=Q(status=EventStatus.IN_REVIEW)),
    )
    events = reverse("admin:events_event_changelist")
    reviews_url = reverse("admin:events_revisionreview_changelist")
    waiting = reviews.visible_reviews(request.user).filter(status=ReviewStatus.PENDING).count()
    return {
        "counts": [
            (counted["drafts"], "Drafts", f"{events}?status__exact={EventStatus.DRAFT}"),
            (
                counted["in_review"],
                "In review",
                f"{events}?status__exact={EventStatus.IN_REVIEW}",
            ),
            # Editors: the queue to decide; curators: their own changes still waiting.
            (waiting, "Proposed changes waiting", f"{reviews_url}?status__exact=pending"),
            *_dead_links(request.user),
        ]
    }


def _dead_links(user) -> list[tuple[int, str, str]]:
    """Sources the link checker found dead (manage.py check_links), for whoever sees sources."""
    if not user.has_perm("events.view_source"):
        return []
    dead = Source.objects.filter(link_status=LinkStatus.DEAD).count()
    sources = reverse("admin:events_source_changelist")
    return [(dead, "Dead links", f"{sources}?link_status__exact={LinkStatus.DEAD}")]
