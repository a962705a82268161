"""/api/v1/sources/: the evidence. Readers see sources that public events cite; curators all."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response

from events import dates
from events.api.caching import ConditionalReadMixin, VersionedWriteMixin
from events.api.openapi import (
    DETAIL_READ_ERRORS,
    NOT_MODIFIED,
    READ_ERRORS,
    WRITE_ERRORS,
    error_responses,
)
from events.api.pagination import KeysetPagination
from events.api.resource_filters import SourceFilterSet
from events.api.rows import event_url_prefix
from events.api.source_serializers import (
    SourceDetailSerializer,
    SourceListSerializer,
    SourceWriteSerializer,
)
from events.api.writing import can_see_unpublished
from events.choices import PUBLIC_EVENT_STATUSES
from events.models import Citation, Source

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
)


def source_row(value: dict, api_prefix: str) -> dict:
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
    }


def source_detail(source: Source, request) -> dict:
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


@extend_schema_view(
    list=extend_schema(
        summary="List sources",
        description="Sources cited by at least one public event (curators see every source), "
        "ordered by title.",
        responses={
            200: SourceListSerializer(many=True),
            **NOT_MODIFIED,
            **error_responses(*READ_ERRORS),
        },
    ),
    retrieve=extend_schema(
        summary="One source, with the public events citing it",
        responses={
            200: SourceDetailSerializer,
            **NOT_MODIFIED,
            **error_responses(*DETAIL_READ_ERRORS),
        },
    ),
    create=extend_schema(
        summary="Create a source",
        responses={201: SourceDetailSerializer, **error_responses(400, 401, 403, 409)},
    ),
    update=extend_schema(
        summary="Replace a source",
        responses={200: SourceDetailSerializer, **error_responses(*WRITE_ERRORS, 404)},
    ),
    partial_update=extend_schema(
        summary="Change a source",
        responses={200: SourceDetailSerializer, **error_responses(*WRITE_ERRORS, 404)},
    ),
    destroy=extend_schema(
        summary="Delete a source",
        description="Refused with 409, naming the events citing it, while any does.",
        responses={204: None, **error_responses(400, 401, 403, 404, 409, 412, 428)},
    ),
)
class SourceViewSet(VersionedWriteMixin, ConditionalReadMixin, viewsets.ModelViewSet):
    queryset = Source.objects.all()
    filterset_class = SourceFilterSet
    pagination_class = KeysetPagination
    ordering = ("title", "id")
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        writing = self.request.method not in ("GET", "HEAD", "OPTIONS")
        if writing or can_see_unpublished(self.request, "source"):
            return Source.objects.all()
        return Source.objects.public()

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return SourceWriteSerializer
        return SourceDetailSerializer if self.action == "retrieve" else SourceListSerializer

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        values = self.paginator.paginate_values(queryset, request, self.ordering, SOURCE_COLUMNS)
        prefix = request.build_absolute_uri(reverse("source-list"))
        return self.paginator.get_paginated_response([source_row(v, prefix) for v in values])

    def retrieve(self, request, *args, **kwargs):
        return Response(source_detail(self.get_object(), request))
