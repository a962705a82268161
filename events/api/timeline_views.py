"""/api/v1/timelines/: published timelines, curated (entries in order) or saved queries."""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from events import rows, services
from events.api.caching import VersionedWriteMixin
from events.api.openapi import WRITE_ERRORS, crud_schema, error_responses, shape
from events.api.resources import ResourceViewSet
from events.api.review_views import ReviewedWriteMixin
from events.api.rows import event_url_prefix, rows_json
from events.api.shapes import TimelineDetail, TimelineEntry, TimelineRow
from events.api.timeline_serializers import TimelineWriteSerializer
from events.api.writing import can_see_unpublished
from events.choices import TimelineKind
from events.markdown import render_markdown
from events.models import Event, Timeline

# A detail lists at most this many entries; the rest are paged through events_url.
MAX_ENTRIES = 1000

TIMELINE_COLUMNS = ("id", "slug", "title", "kind", "status", "description", "updated_at")


def timeline_row(value: dict, prefix: str) -> TimelineRow:
    return {
        "slug": value["slug"],
        "url": f"{prefix}{value['slug']}/",
        "title": value["title"],
        "kind": value["kind"],
        "status": value["status"],
        "description": value["description"],
        "updated_at": value["updated_at"].isoformat(),
    }


def timeline_detail(timeline: Timeline, request) -> TimelineDetail:
    """Everything about a timeline; the entries' events are always public ones."""
    values = {column: getattr(timeline, column) for column in TIMELINE_COLUMNS}
    data = timeline_row(values, request.build_absolute_uri(reverse("timeline-list")))
    entries, truncated = _entries(timeline, request)
    query = None
    if timeline.kind == TimelineKind.SAVED_QUERY:
        query = {
            "actors": sorted(timeline.query_actors.values_list("slug", flat=True)),
            "types": sorted(timeline.query_types.values_list("slug", flat=True)),
            "from_date": timeline.query_from.isoformat() if timeline.query_from else None,
            "to_date": timeline.query_to.isoformat() if timeline.query_to else None,
        }
    events_url = request.build_absolute_uri(reverse("event-list"))
    data.update(
        {
            "description_html": str(render_markdown(timeline.description)),
            "query": query,
            "entries": entries,
            "entries_truncated": truncated,
            "events_url": f"{events_url}?{urlencode({'timeline': timeline.slug})}",
            "version": timeline.version,
            "created_at": timeline.created_at.isoformat(),
        }
    )
    return data


def _entries(timeline: Timeline, request) -> tuple[list[TimelineEntry], bool]:
    public = Event.objects.public()
    if timeline.kind == TimelineKind.CURATED:
        events = public.as_entries_of(timeline)
        extra = ("entry_position", "entry_caption")
    else:
        events = public.in_timeline(timeline).order_by("date_lower", "id")
        extra = ()
    listed = rows.first_rows(events, MAX_ENTRIES + 1, extra=extra, posts=False)
    truncated = len(listed) > MAX_ENTRIES
    listed = listed[:MAX_ENTRIES]
    shaped = rows_json(listed, event_url_prefix(request))
    return [
        {
            "position": row.extra.get("entry_position", index),
            "caption": row.extra.get("entry_caption", ""),
            "event": data,
        }
        for index, (row, data) in enumerate(zip(listed, shaped, strict=True))
    ], truncated


@crud_schema(
    name="timeline",
    plural="timelines",
    row=TimelineRow,
    reviewed=True,
    detail=TimelineDetail,
    summaries={
        "retrieve": "One timeline with its entries in order",
        "destroy": "Delete a timeline (and its entries)",
    },
    descriptions={
        "list": "Published timelines (curators also see drafts), by title.",
        "retrieve": f"Curated entries by position, or a saved query's events by date; at most "
        f"{MAX_ENTRIES} (page through `events_url` for more). Drafts are 404 for readers.",
    },
)
class TimelineViewSet(ReviewedWriteMixin, VersionedWriteMixin, ResourceViewSet):
    queryset = Timeline.objects.all()
    write_serializer_class = TimelineWriteSerializer
    filter_backends: list = []
    list_columns = TIMELINE_COLUMNS
    ordering = ("title", "id")
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        writing = self.request.method not in ("GET", "HEAD", "OPTIONS")
        if writing or can_see_unpublished(self.request, "timeline"):
            return Timeline.objects.all()
        return Timeline.objects.published()

    def list_rows(self, values, request):
        prefix = request.build_absolute_uri(reverse("timeline-list"))
        return [timeline_row(value, prefix) for value in values]

    def detail_data(self, obj, request):
        return timeline_detail(obj, request)

    @extend_schema(
        summary="Publish a timeline (editors)",
        request=None,
        responses={200: shape(TimelineDetail), **error_responses(*WRITE_ERRORS, 404)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, slug=None):
        timeline = services.timeline_publish(timeline=self.get_object(), user=request.user)
        return Response(timeline_detail(timeline, request))

    @extend_schema(
        summary="Take a published timeline back to draft (editors)",
        request=None,
        responses={200: shape(TimelineDetail), **error_responses(*WRITE_ERRORS, 404)},
    )
    @action(detail=True, methods=["post"])
    def unpublish(self, request, slug=None):
        timeline = services.timeline_unpublish(timeline=self.get_object(), user=request.user)
        return Response(timeline_detail(timeline, request))
