"""/api/v1/sources/: the evidence. Readers see sources that public events cite; curators all."""

from django.urls import reverse

from events import dates
from events.api.caching import VersionedWriteMixin
from events.api.openapi import crud_schema
from events.api.resource_filters import SourceFilterSet
from events.api.resources import ResourceViewSet
from events.api.rows import event_url_prefix, source_archive
from events.api.shapes import SourceDetail, SourceRow, SourceWritten
from events.api.source_serializers import SourceWriteSerializer
from events.api.writing import can_see_unpublished, guard_deletion
from events.choices import PUBLIC_EVENT_STATUSES
from events.models import Citation, Source
from events.models.sources import link_dead_since

SOURCE_COLUMNS = (
    "id",
    "kind",
    "title",
    "url",
    "reference",
    "publisher",
    "authors",
    "published_on",
    "published_precision",
    "published_approximate",
    "language",
    "archive_url",
    "archived_at",
    "link_status",
    "link_failing_since",
)


def source_row(value: dict, api_prefix: str) -> SourceRow:
    published = value["published_on"]
    precision = value["published_precision"]
    approximate = value["published_approximate"]
    return {
        "id": value["id"],
        "api_url": f"{api_prefix}{value['id']}/",
        "kind": value["kind"],
        "title": value["title"],
        "url": value["url"],
        "reference": value["reference"],
        "publisher": value["publisher"],
        "authors": [line.strip() for line in value["authors"].splitlines() if line.strip()],
        "published": dates.display_date(published, precision, approximate) if published else None,
        "published_edtf": dates.edtf_date(published, precision, approximate) if published else None,
        "language": value["language"],
        "archive_url": value["archive_url"],
        "archived_at": value["archived_at"].isoformat() if value["archived_at"] else None,
        **source_archive(
            api_prefix,
            value["id"],
            value["archived_at"] is not None,
            value["link_status"],
            link_dead_since(value["link_status"], value["link_failing_since"]),
        ),
    }


def source_detail(source: Source, request) -> SourceDetail:
    """The detail: the row, then the public events citing the source (one more query)."""
    values = {column: getattr(source, column) for column in SOURCE_COLUMNS}
    data = source_row(values, request.build_absolute_uri(reverse("source-list")))
    citations = (
        Citation.objects.filter(source=source, event__status__in=PUBLIC_EVENT_STATUSES)
        .order_by("event__date_lower", "event_id", "id")
        .values(
            "stance",
            "quote",
            "locator",
            "event__slug",
            "event__title",
            "event__status",
            "event__start_date",
            "event__start_precision",
            "event__start_approximate",
            "event__end_date",
            "event__end_precision",
            "event__end_approximate",
        )
    )
    event_prefix = event_url_prefix(request)
    data["events"] = [_citing_event(citation, event_prefix) for citation in citations]
    data["version"] = source.version
    data["created_at"] = source.created_at.isoformat()
    data["updated_at"] = source.updated_at.isoformat()
    return data


def _citing_event(citation: dict, event_prefix: str) -> dict:
    date_args = (
        citation["event__start_date"],
        citation["event__start_precision"],
        citation["event__start_approximate"],
        citation["event__end_date"],
        citation["event__end_precision"] or None,
        citation["event__end_approximate"],
    )
    return {
        "slug": citation["event__slug"],
        "title": citation["event__title"],
        "url": f"{event_prefix}{citation['event__slug']}/",
        "display_date": dates.display_range(*date_args),
        "edtf": dates.edtf(*date_args),
        "status": citation["event__status"],
        "stance": citation["stance"],
        "quote": citation["quote"],
        "locator": citation["locator"],
    }


@crud_schema(
    name="source",
    plural="sources",
    row=SourceRow,
    detail=SourceDetail,
    written=SourceWritten,
    summaries={"retrieve": "One source, with the public events citing it"},
    descriptions={
        "list": "Sources cited by at least one public event (curators see every source), "
        "ordered by title.",
        "destroy": "Refused with 409, naming the events citing it, while any does.",
    },
)
class SourceViewSet(VersionedWriteMixin, ResourceViewSet):
    queryset = Source.objects.all()
    write_serializer_class = SourceWriteSerializer
    warns_of_duplicates = True
    filterset_class = SourceFilterSet
    list_columns = SOURCE_COLUMNS
    ordering = ("title", "id")
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        writing = self.request.method not in ("GET", "HEAD", "OPTIONS")
        if writing or can_see_unpublished(self.request, "source"):
            return Source.objects.all()
        return Source.objects.public()

    def perform_destroy(self, instance):
        guard_deletion(instance, self.request.user)  # curators: only what they created
        super().perform_destroy(instance)

    def list_rows(self, values, request):
        prefix = request.build_absolute_uri(reverse("source-list"))
        return [source_row(value, prefix) for value in values]

    def detail_data(self, obj, request):
        return source_detail(obj, request)
