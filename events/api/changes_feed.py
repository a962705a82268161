"""/api/v1/events/changes/: the changes feed, for clients that mirror the public events.

The log and its rules live in events.public_changes; this module reads the parameters and
shapes the items, each with its event's public row as /api/v1/events/ lists it (events.rows).
"""

import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from events import public_changes
from events.api.caching import ConditionalReadMixin
from events.api.openapi import NOT_MODIFIED, READ_ERRORS, error_responses, shape
from events.api.rows import event_url_prefix, row_json
from events.api.shapes import ChangesPage
from events.choices import PublicChangeKind

NULL_CHARACTER = "\x00"
MAX_CURSOR = 2**63 - 1


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "pattern": "^[0-9]+$"},
            {"type": "string", "format": "date-time"},
        ]
    }
)
class SinceParam(serializers.CharField):
    """A cursor (a whole number from `next` or an item's `cursor`) or an ISO 8601 time."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data).strip()
        if value.isascii() and value.isdigit():
            # No change id can exceed the largest 64-bit integer: a larger cursor means
            # "after everything", not a number the database cannot compare.
            return min(int(value), MAX_CURSOR)
        try:
            when = parse_datetime(value) if NULL_CHARACTER not in value else None
        except ValueError:
            when = None
        if when is None:
            raise serializers.ValidationError(
                f"“{value[:40]}” is neither a cursor nor a time: give the `next` cursor of "
                "your last page (a whole number) or an ISO 8601 time such as "
                "2025-03-01T12:00:00Z."
            )
        return when if timezone.is_aware(when) else when.replace(tzinfo=dt.UTC)


class ChangesQuerySerializer(serializers.Serializer):
    since = SinceParam(
        required=False,
        help_text="Changes after this cursor (the `next` of your last page, or an item's "
        "`cursor`), or at or after this ISO 8601 time (UTC when no offset is given). "
        "Without it, from the first change.",
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=1000,
        default=100,
        help_text="At most this many changes (default 100, at most 1000).",
    )


class ChangesFeedView(ConditionalReadMixin, APIView):
    """Every change to the public events, in order, with tombstones for those that left."""

    permission_classes = [AllowAny]  # public changes only; drafts never reach the log
    http_method_names = ["get", "head", "options"]
    schema_empty_means_unset = ("since", "limit")

    @extend_schema(
        summary="Changes to the public events, for mirroring (the deletions feed)",
        description="In order: `published`, `updated` (a field of the public row changed), "
        "`retracted`, and `removed` (the event left the public set, or its slug changed; "
        "`event` is null: delete it from your mirror). `event` is the event's public row now, "
        "as /api/v1/events/ lists it. Apply the items in order, then ask again with "
        "`since=<next>`; `more` says whether more changes are waiting.",
        parameters=[ChangesQuerySerializer],
        responses={200: shape(ChangesPage), **NOT_MODIFIED, **error_responses(*READ_ERRORS)},
    )
    def get(self, request):
        params = ChangesQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        since = params.validated_data.get("since")
        cursor = since if isinstance(since, int) else None
        changes, rows, more = public_changes.page(
            after=cursor,
            since=None if isinstance(since, int) else since,
            limit=params.validated_data["limit"],
        )
        prefix = event_url_prefix(request)
        results = [_item(change, rows.get(change["event_id"]), prefix) for change in changes]
        last = changes[-1]["id"] if changes else cursor
        return Response({"next": last, "more": more, "results": results})


def _item(change: dict, row, prefix: str) -> dict:
    removed = change["kind"] == PublicChangeKind.REMOVED
    return {
        "cursor": change["id"],
        "at": change["at"].isoformat(),
        "kind": change["kind"],
        "slug": change["slug"],
        "event": row_json(row, prefix) if row is not None and not removed else None,
    }
