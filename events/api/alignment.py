"""/api/v1/alignment/: how often two states voted alike, per period, with the votes listed.

One query joins the two states' recorded votes on the same vote records (of published events,
optionally of one body and period), in date order; the periods and totals are summed as the
rows stream past, so the cost does not grow with the number of periods.
"""

import datetime as dt

from django.db.models import F, FilteredRelation, Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from events import dates
from events.api.caching import ConditionalReadMixin
from events.api.openapi import NOT_MODIFIED, READ_ERRORS, error_responses
from events.choices import ActorKind, EventStatus, VoteOption
from events.models import Actor, VoteRecord

GROUPINGS = ("year", "month", "all")
CAST = {VoteOption.YES, VoteOption.NO, VoteOption.ABSTAIN}


class ActorParam(serializers.CharField):
    """An actor by slug, or a state by ISO 3166 alpha-3 code in any case."""

    def __init__(self, *, state: bool = True, **kwargs):
        self.state = state
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if "\x00" in value:  # PostgreSQL text cannot hold NUL
            raise serializers.ValidationError("Null characters are not allowed.")
        actor = Actor.objects.by_reference(value).first()
        if actor is None:
            raise serializers.ValidationError(
                f"Unknown actor: {value}. Use the actor's slug, or a state's ISO 3166 alpha-3 "
                "code (usa, RUS)."
            )
        if self.state and actor.kind != ActorKind.STATE:
            raise serializers.ValidationError(f"{actor} is not a state; only states cast votes.")
        return actor


class PartialDateParam(serializers.CharField):
    def to_internal_value(self, data):
        try:
            return dates.parse_partial(super().to_internal_value(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class AlignmentQuerySerializer(serializers.Serializer):
    a = ActorParam(help_text="The first state: slug or ISO 3166 alpha-3 code (usa).")
    b = ActorParam(help_text="The second state: slug or ISO 3166 alpha-3 code (rus).")
    body = ActorParam(
        state=False,
        required=False,
        help_text="Only votes of this body (slug, e.g. un-general-assembly).",
    )
    group_by = serializers.ChoiceField(
        choices=[(g, g) for g in GROUPINGS],
        default="year",
        help_text="Periods: year (default), month, or all (one period).",
        error_messages={"invalid_choice": "Unknown group_by “{input}”: use year, month or all."},
    )
    from_ = PartialDateParam(
        required=False, help_text="Votes on or after this date: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    to = PartialDateParam(
        required=False,
        help_text="Votes on or before the end of this period: YYYY, YYYY-MM or YYYY-MM-DD.",
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")  # `from` is a Python keyword
        return fields

    def validate(self, attrs):
        if attrs["a"].pk == attrs["b"].pk:
            raise serializers.ValidationError({"b": "Choose two different states."})
        start, end = attrs.get("from"), attrs.get("to")
        if start and end and dates.period_end(*end) < start[0]:
            raise serializers.ValidationError({"to": "“to” is before “from”."})
        return attrs


class StateSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    iso3 = serializers.CharField(allow_null=True)


class AlignedVoteSerializer(serializers.Serializer):
    symbol = serializers.CharField(
        allow_null=True, help_text="Document symbol, e.g. A/RES/ES-11/7."
    )
    title = serializers.CharField()
    event = serializers.CharField(help_text="Slug of the event recording the vote.")
    body = serializers.CharField(help_text="Slug of the voting body.")
    date = serializers.CharField(help_text="In its precision: “24 Feb 2025”.")
    edtf = serializers.CharField()
    a_option = serializers.ChoiceField(choices=VoteOption.choices)
    b_option = serializers.ChoiceField(choices=VoteOption.choices)
    alike = serializers.BooleanField(
        allow_null=True, help_text="Same option; null unless both cast yes, no or abstain."
    )


class AlignmentTotalsSerializer(serializers.Serializer):
    both_cast = serializers.IntegerField(help_text="Votes where both voted yes, no or abstain.")
    alike = serializers.IntegerField(help_text="Of those, votes where both chose the same.")
    agreement = serializers.FloatField(allow_null=True, help_text="alike / both_cast, or null.")


class AlignmentPeriodSerializer(AlignmentTotalsSerializer):
    period = serializers.CharField(help_text="2025, 2025-02, or all.")
    start = serializers.DateField()
    end = serializers.DateField()
    votes = AlignedVoteSerializer(many=True)


class AlignmentSerializer(serializers.Serializer):
    a = StateSerializer()
    b = StateSerializer()
    body = StateSerializer(allow_null=True)
    group_by = serializers.CharField()
    periods = AlignmentPeriodSerializer(many=True)
    totals = AlignmentTotalsSerializer()


def aligned_votes(a: Actor, b: Actor, *, body=None, start=None, end=None):
    """The one query: each published vote both states have on record, in date order."""
    records = (
        VoteRecord.objects.filter(event__status=EventStatus.PUBLISHED)
        .annotate(
            vote_a=FilteredRelation("country_votes", condition=Q(country_votes__actor=a)),
            vote_b=FilteredRelation("country_votes", condition=Q(country_votes__actor=b)),
        )
        .filter(vote_a__isnull=False, vote_b__isnull=False)
    )
    if body is not None:
        records = records.filter(body=body)
    if start is not None:
        records = records.filter(event__date_upper__gte=start)
    if end is not None:
        records = records.filter(event__date_lower__lte=end)
    return records.order_by("event__date_lower", "id").values(
        "document_symbol",
        "title",
        "body__slug",
        "event__slug",
        "event__date_lower",
        "event__start_date",
        "event__start_precision",
        "event__start_approximate",
        a_option=F("vote_a__option"),
        b_option=F("vote_b__option"),
    )


def _period(day: dt.date, group_by: str) -> tuple[str, dt.date, dt.date]:
    if group_by == "year":
        return str(day.year), dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if group_by == "month":
        first = day.replace(day=1)
        return f"{day.year}-{day.month:02d}", first, dates.period_end(first, "month")
    return "all", day, day  # widened to the first and last vote below


def _tally(both_cast: int, alike: int) -> dict:
    return {
        "both_cast": both_cast,
        "alike": alike,
        "agreement": round(alike / both_cast, 4) if both_cast else None,
    }


def alignment(a: Actor, b: Actor, *, body=None, group_by="year", start=None, end=None) -> dict:
    periods: dict[str, dict] = {}
    for row in aligned_votes(a, b, body=body, start=start, end=end):
        day = row["event__date_lower"]
        label, first, last = _period(day, group_by)
        period = periods.setdefault(
            label,
            {"period": label, "start": first, "end": last, "cast": 0, "alike": 0, "votes": []},
        )
        period["end"] = max(period["end"], day)
        both_cast = row["a_option"] in CAST and row["b_option"] in CAST
        alike = row["a_option"] == row["b_option"] if both_cast else None
        period["cast"] += both_cast
        period["alike"] += bool(alike)
        args = (row["event__start_date"], row["event__start_precision"])
        approximate = row["event__start_approximate"]
        period["votes"].append(
            {
                "symbol": row["document_symbol"],
                "title": row["title"],
                "event": row["event__slug"],
                "body": row["body__slug"],
                "date": dates.display_date(*args, approximate),
                "edtf": dates.edtf_date(*args, approximate),
                "a_option": row["a_option"],
                "b_option": row["b_option"],
                "alike": alike,
            }
        )
    results = [
        {
            "period": p["period"],
            "start": p["start"].isoformat(),
            "end": p["end"].isoformat(),
            **_tally(p["cast"], p["alike"]),
            "votes": p["votes"],
        }
        for p in periods.values()
    ]
    totals = _tally(
        sum(p["cast"] for p in periods.values()), sum(p["alike"] for p in periods.values())
    )
    return {
        "a": _state(a),
        "b": _state(b),
        "body": _state(body) if body is not None else None,
        "group_by": group_by,
        "periods": results,
        "totals": totals,
    }


def _state(actor: Actor) -> dict:
    return {"slug": actor.slug, "name": actor.name, "iso3": actor.iso3}


class AlignmentView(ConditionalReadMixin, APIView):
    """How two states voted on the same recorded votes, per period."""

    permission_classes = [AllowAny]  # read-only; published data only
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary="Voting alignment of two states",
        description="Per period, the recorded votes (of published events) both states cast, "
        "how many they cast alike, and the agreement ratio, with the votes listed. "
        "`?a=usa&b=rus&group_by=year`.",
        parameters=[AlignmentQuerySerializer],
        responses={200: AlignmentSerializer, **NOT_MODIFIED, **error_responses(*READ_ERRORS)},
    )
    def get(self, request):
        params = AlignmentQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        start, end = data.get("from"), data.get("to")
        return Response(
            alignment(
                data["a"],
                data["b"],
                body=data.get("body"),
                group_by=data["group_by"],
                start=start[0] if start else None,
                end=dates.period_end(*end) if end else None,
            )
        )
