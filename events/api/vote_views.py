"""/api/v1/votes/: recorded votes of published events, with counts and per-country rolls."""

from django.db.models import F
from django.urls import reverse

from events import dates
from events.api.caching import VersionedWriteMixin
from events.api.openapi import crud_schema
from events.api.resource_filters import VoteFilterSet
from events.api.resources import ResourceViewSet
from events.api.review_views import ReviewedWriteMixin
from events.api.rows import event_url_prefix
from events.api.shapes import VoteDetail, VoteRow
from events.api.vote_serializers import VoteRecordWriteSerializer
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


def vote_row(value: dict, vote_prefix: str, event_prefix: str) -> VoteRow:
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


def vote_detail(record: VoteRecord, request) -> VoteDetail:
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


@crud_schema(
    name="recorded vote",
    plural="recorded votes",
    row=VoteRow,
    reviewed=True,
    detail=VoteDetail,
    summaries={
        "retrieve": "One recorded vote, with the per-country roll",
        "create": "Record a vote",
        "destroy": "Delete a recorded vote (and its roll)",
        "update": "Replace a recorded vote (send its event's version: If-Match or `version`)",
        "partial_update": "Change a recorded vote (send its event's version: If-Match or "
        "`version`)",
    },
    descriptions={
        "list": "Votes of published events, by date. `?actor=usa&option=no`: the votes "
        "where the United States voted against.",
    },
)
class VoteViewSet(ReviewedWriteMixin, VersionedWriteMixin, ResourceViewSet):
    queryset = VoteRecord.objects.all()
    write_serializer_class = VoteRecordWriteSerializer
    filterset_class = VoteFilterSet
    list_columns = VOTE_COLUMNS
    ordering = ("date", "id")
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return published_votes()
        return VoteRecord.objects.select_related("event")  # its version guards the vote

    def list_rows(self, values, request):
        vote_prefix, event_prefix = _vote_prefix(request), event_url_prefix(request)
        return [vote_row(value, vote_prefix, event_prefix) for value in values]

    def detail_data(self, obj, request):
        return vote_detail(obj, request)
