"""/api/v1/votes/: recorded votes of published events, with counts and per-country rolls."""

from django.db.models import F
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
from events.api.resource_filters import VoteFilterSet
from events.api.rows import event_url_prefix
from events.api.vote_serializers import (
    VoteDetailSerializer,
    VoteListSerializer,
    VoteRecordWriteSerializer,
)
from events.choices import EventStatus
from events.models import VoteRecord

VOTE_COLUMNS = (
    "id",
    "title",
    "document_symbol",
    "draft_symbol",
    "result",
    "yes_count",
    "no_count",
    "abstain_count",
    "non_voting_count",
    "roll_complete",
    "body__slug",
    "body__name",
    "event__slug",
    "event__start_date",
    "event__start_precision",
    "event__start_approximate",
    "event__end_date",
    "event__end_precision",
    "event__end_approximate",
)


def published_votes():
    """Votes whose event is published: what every reader and analysis is built on."""
    return VoteRecord.objects.filter(event__status=EventStatus.PUBLISHED).annotate(
        date=F("event__date_lower")
    )


def vote_row(value: dict, vote_prefix: str, event_prefix: str) -> dict:
    date_args = (
        value["event__start_date"],
        value["event__start_precision"],
        value["event__start_approximate"],
        value["event__end_date"],
        value["event__end_precision"] or None,
        value["event__end_approximate"],
    )
    return {
        "id": value["id"],
        "url": f"{vote_prefix}{value['id']}/",
        "event": value["event__slug"],
        "event_url": f"{event_prefix}{value['event__slug']}/",
        "title": value["title"],
        "body": {"slug": value["body__slug"], "name": value["body__name"]},
        "document_symbol": value["document_symbol"],
        "draft_symbol": value["draft_symbol"],
        "result": value["result"],
        "counts": {
            "yes": value["yes_count"],
            "no": value["no_count"],
            "abstain": value["abstain_count"],
            "non_voting": value["non_voting_count"],
        },
        "roll_complete": value["roll_complete"],
        "date": dates.display_range(*date_args),
        "edtf": dates.edtf(*date_args),
    }


def vote_detail(record: VoteRecord, request) -> dict:
    """The row plus the roll (one more query)."""
    value = VoteRecord.objects.filter(pk=record.pk).values(*VOTE_COLUMNS).get()
    data = vote_row(value, _vote_prefix(request), event_url_prefix(request))
    roll = record.country_votes.order_by("actor__name", "actor_id").values_list(
        "actor__slug", "actor__name", "actor__iso3", "option"
    )
    data["country_votes"] = [
        {"actor": slug, "name": name, "iso3": iso3, "option": option}
        for slug, name, iso3, option in roll
    ]
    return data


def _vote_prefix(request) -> str:
    return request.build_absolute_uri(reverse("vote-list"))


@extend_schema_view(
    list=extend_schema(
        summary="List recorded votes",
        description="Votes of published events, by date. `?actor=usa&option=no`: the votes "
        "where the United States voted against.",
        responses={
            200: VoteListSerializer(many=True),
            **NOT_MODIFIED,
            **error_responses(*READ_ERRORS),
        },
    ),
    retrieve=extend_schema(
        summary="One recorded vote, with the per-country roll",
        responses={
            200: VoteDetailSerializer,
            **NOT_MODIFIED,
            **error_responses(*DETAIL_READ_ERRORS),
        },
    ),
    create=extend_schema(
        summary="Record a vote",
        responses={201: VoteDetailSerializer, **error_responses(400, 401, 403, 409)},
    ),
    update=extend_schema(
        summary="Replace a recorded vote (send its event's version: If-Match or `version`)",
        responses={200: VoteDetailSerializer, **error_responses(*WRITE_ERRORS, 404)},
    ),
    partial_update=extend_schema(
        summary="Change a recorded vote (send its event's version: If-Match or `version`)",
        responses={200: VoteDetailSerializer, **error_responses(*WRITE_ERRORS, 404)},
    ),
    destroy=extend_schema(
        summary="Delete a recorded vote (and its roll)",
        responses={204: None, **error_responses(*WRITE_ERRORS, 404)},
    ),
)
class VoteViewSet(VersionedWriteMixin, ConditionalReadMixin, viewsets.ModelViewSet):
    queryset = VoteRecord.objects.all()
    filterset_class = VoteFilterSet
    pagination_class = KeysetPagination
    ordering = ("date", "id")
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return published_votes()
        return VoteRecord.objects.select_related("event")  # its version guards the vote

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return VoteRecordWriteSerializer
        return VoteDetailSerializer if self.action == "retrieve" else VoteListSerializer

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        values = self.paginator.paginate_values(queryset, request, self.ordering, VOTE_COLUMNS)
        vote_prefix, event_prefix = _vote_prefix(request), event_url_prefix(request)
        rows = [vote_row(value, vote_prefix, event_prefix) for value in values]
        return self.paginator.get_paginated_response(rows)

    def retrieve(self, request, *args, **kwargs):
        return Response(vote_detail(self.get_object(), request))
