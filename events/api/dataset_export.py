"""/api/v1/export.jsonl: the public dataset as Timeline's JSONL file (docs/data-format.md).

The records and their order are events.dataset's; this view streams the lines with the API's
freshness headers (the public stamp: the file changes only when what readers see changes, so
a client polling with If-None-Match gets a 304 in one query).
"""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from events.api.caching import ConditionalReadMixin
from events.api.openapi import NOT_MODIFIED, error_responses
from events.api.renderers import FormatNegotiationMixin, JSONLinesRenderer
from events.dataset.jsonl import MEDIA_TYPE, jsonl_lines


class OnlyJSONLines(BaseContentNegotiation):
    """One representation whatever the Accept header says: the file is the resource."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DatasetExportView(ConditionalReadMixin, FormatNegotiationMixin, APIView):
    """The public dataset, one JSON object a line, streamed; errors are JSON, as everywhere
    under /api/ (FormatNegotiationMixin)."""

    permission_classes = [AllowAny]  # public data only, for everyone: drafts are never in it
    renderer_classes = [JSONLinesRenderer]
    content_negotiation_class = OnlyJSONLines
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary="The whole public dataset as JSON Lines (Timeline's own lossless format)",
        description="Every public event with all its parts (participations, citations, "
        "relations, aid measures, vote record with the roll), and every event type, actor, "
        "post, source and published timeline they refer to: one JSON object a line, each "
        "with a `type`, keyed by slugs and normalised source URLs, dependencies first then by "
        "key, byte-for-byte the same for the same data. The format is documented in "
        "docs/data-format.md and read back by `manage.py import_data --format jsonl`. "
        "Streamed: start reading at once; large. Conditional requests (ETag) avoid "
        "downloading it again when nothing public changed.",
        responses={
            (200, MEDIA_TYPE): OpenApiResponse(
                response=OpenApiTypes.STR, description="The dataset, one record a line."
            ),
            **NOT_MODIFIED,
            **error_responses(429),
        },
    )
    def get(self, request):
        lines = jsonl_lines(include_drafts=False) if request.method == "GET" else iter(())
        response = StreamingHttpResponse(lines, content_type=MEDIA_TYPE)
        response["Content-Disposition"] = 'attachment; filename="timeline-dataset.jsonl"'
        return response
