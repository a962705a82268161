"""An actor's public timeline (/api/v1/actors/{slug}/events/): the event list, narrowed.

The same filters (EventFilterSet), keyset pages, rows and formats as /api/v1/events/, built
from the event views' own helpers so the two lists cannot drift apart.
"""

from rest_framework import serializers
from rest_framework.response import Response

from events.api.browsable import BrowsableAPIRenderer
from events.api.event_views import (
    ATOM_ORDERING,
    EXPORT_FORMATS,
    EXPORT_RENDERERS,
    export_page_size,
    visible_events,
)
from events.api.pagination import KeysetPagination
from events.api.renderers import AtomRenderer, FormatNegotiationMixin, ORJSONRenderer
from events.api.rows import build_rows, event_url_prefix, project_rows
from events.filtersets import EventFilterSet
from events.models import Actor


class ActorEventsMixin(FormatNegotiationMixin):
    """Adds the export renderers to the `events` action of a viewset over actors."""

    def get_renderers(self):
        if getattr(self, "action", None) == "events":
            classes = [ORJSONRenderer, BrowsableAPIRenderer, *EXPORT_RENDERERS, AtomRenderer]
            return [renderer() for renderer in classes]
        return super().get_renderers()

    def actor_events(self, request, actor: Actor) -> Response:
        events = visible_events(request).involving([actor.pk])
        filterset = EventFilterSet(request.query_params, queryset=events)
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        queryset, ordering = filterset.qs, filterset.ordering_fields
        renderer_format = request.accepted_renderer.format
        if renderer_format == AtomRenderer.format:
            queryset, ordering = queryset.filter(published_at__isnull=False), ATOM_ORDERING
        paginator = KeysetPagination(page_size=export_page_size(request))
        queryset, columns = project_rows(queryset)
        values = paginator.paginate_values(queryset, request, ordering, columns)
        response = Response(
            paginator.get_paginated_data(build_rows(values, event_url_prefix(request)))
        )
        link = paginator.get_link_header()
        if link and renderer_format in EXPORT_FORMATS:
            response["Link"] = link
        return response
