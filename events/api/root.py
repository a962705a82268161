"""/api/v1/: the API's front door. It says what the API is and links to every part of it."""

from django.urls import NoReverseMatch
from rest_framework import routers
from rest_framework.response import Response
from rest_framework.reverse import reverse

# What the router does not list itself (plain views), and the docs: name -> URL name.
EXTRA_LINKS = {
    "timeline": "timeline",
    "types": "type-list",
    "alignment": "alignment",
    "event_changes": "event-changes",
    "schema": "schema",
    "docs": "api-docs",
    "redoc": "api-redoc",
}


class TimelineAPIRoot(routers.APIRootView):
    """Geopolitical events with their dates, actors and cited sources, as JSON.

    Reading needs no account: every list below shows published events only, and takes the same
    filters (`actor`, `type`, `from`, `to`, `q`, …; see `docs`). Lists are paged with an opaque
    `cursor` (follow `next`). Event lists also export as CSV, iCalendar, Atom and TimelineJS
    (`?format=csv`). `types` lists the event types that `?type=` accepts. Writing needs a
    curator's token (`Authorization: Token …`).
    """

    def get_view_name(self):
        return "Timeline API"

    def get(self, request, *args, **kwargs):
        links = super().get(request, *args, **kwargs).data
        for key, url_name in EXTRA_LINKS.items():
            try:
                links[key] = reverse(url_name, request=request)
            except NoReverseMatch:
                continue
        return Response(links)


class Router(routers.DefaultRouter):
    APIRootView = TimelineAPIRoot
