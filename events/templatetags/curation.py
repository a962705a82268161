"""The admin index's dashboard: what waits for curators and editors."""

from django import template
from django.db.models import Count, Q
from django.urls import reverse

from events.choices import EventStatus
from events.models import Event

register = template.Library()


@register.inclusion_tag("admin/events/dashboard.html", takes_context=True)
def curator_dashboard(context):
    """Drafts and events in review, counted in one query, each linked to its filtered list."""
    request = context["request"]
    if not request.user.has_perm("events.view_event"):
        return {"counts": []}
    counted = Event.objects.aggregate(
        drafts=Count("pk", filter=Q(status=EventStatus.DRAFT)),
        in_review=Count("pk", filter=Q(status=EventStatus.IN_REVIEW)),
    )
    events = reverse("admin:events_event_changelist")
    return {
        "counts": [
            (counted["drafts"], "Drafts", f"{events}?status__exact={EventStatus.DRAFT}"),
            (
                counted["in_review"],
                "In review",
                f"{events}?status__exact={EventStatus.IN_REVIEW}",
            ),
        ]
    }
