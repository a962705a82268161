"""/api/v1/alignment/: the query parameters of events.alignment, and its answer as JSON.

The rule and the query live in events.alignment (the actor page's chart asks there too); this
module only reads and checks the parameters.
"""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from events import dates
from events.alignment import GROUPINGS, Alignment, alignment
from events.api.caching import ConditionalReadMixin
from events.api.openapi import NOT_MODIFIED, READ_ERRORS, error_responses, shape
from events.choices import ActorKind
from events.filtersets import PARTIAL_DATE
from events.models import Actor


class ActorParam(serializers.CharField):
    """An actor by slug, or a state by ISO 3166 alpha-3 code in any case."""

    def __init__(self, *, state: bool = True, **kwargs):
        self.state = state
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if "\x00" in value:  # PostgreSQL text cannot hold NUL
            raise serializers.ValidationError("Null characters are not allowed.")
        actor = Actor.objects.resolve(value).get(value)
        if actor is None:
            raise serializers.ValidationError(
                f"Unknown actor: {value}. Use the actor's slug, or a state's ISO 3166 alpha-3 "
                "code (usa, RUS)."
            )
        if self.state and actor.kind != ActorKind.STATE:
            raise serializers.ValidationError(f"{actor} is not a state; only states cast votes.")
        return actor


@extend_schema_field({"type": "string", "pattern": f"^{PARTIAL_DATE}$"})
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
        reversed_period = dates.reversed_period(attrs.get("from"), attrs.get("to"))
        if reversed_period:
            raise serializers.ValidationError({"to": reversed_period})
        return attrs


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
        responses={200: shape(Alignment), **NOT_MODIFIED, **error_responses(*READ_ERRORS)},
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
