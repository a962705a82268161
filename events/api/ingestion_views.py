"""`POST /api/v1/ingestions/`: read an article (a URL, pasted text or an uploaded HTML file) and
propose its candidate events; `GET /api/v1/ingestions/{id}/` to read them again. Curators and
editors only. HTTP only: the rules are in events.ingestion.services."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from events.api.openapi import error_responses, shape
from events.api.parsers import JSONParser
from events.ingestion.models import Ingestion
from events.ingestion.reading import MAX_TEXT_CHARS
from events.ingestion.services import (
    IngestRefused,
    ingest_html,
    ingest_text,
    ingest_url,
    may_ingest,
)
from events.ingestion.summary import IngestionJSON, ingestion_json

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class CanIngest(BasePermission):
    message = "Only curators and editors ingest articles."

    def has_permission(self, request, view) -> bool:
        return may_ingest(request.user)


class IngestionRequestSerializer(serializers.Serializer):
    url = serializers.URLField(
        required=False, max_length=1000, help_text="An article to fetch (http or https)."
    )
    text = serializers.CharField(
        required=False, max_length=MAX_TEXT_CHARS, help_text="Pasted article text."
    )
    file = serializers.FileField(
        required=False, help_text="An HTML page saved from a browser (multipart only)."
    )
    title = serializers.CharField(required=False, default="", max_length=500)
    published = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="With `text`: anchors dates."
    )

    def validate_file(self, upload):
        if upload.size > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(
                f"The file is larger than the limit of {MAX_UPLOAD_BYTES:,} bytes."
            )
        return upload

    def validate(self, attrs):
        given = [name for name in ("url", "text", "file") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError("Send exactly one of `url`, `text` or `file`.")
        return attrs


def _url(request, ingestion: Ingestion) -> str:
    return request.build_absolute_uri(reverse("ingestion-detail", args=[ingestion.pk]))


class IngestionListView(APIView):
    permission_classes = [IsAuthenticated, CanIngest]
    parser_classes = [JSONParser, MultiPartParser]
    http_method_names = ["post", "options"]

    @extend_schema(
        summary="Ingest an article",
        description="JSON with `url` (fetched through the SSRF guard and archived) or `text` "
        "(with an optional `title` and `published` date), or a multipart upload of an HTML "
        "`file`. The answer is the ingestion with its candidate events, waiting for review in "
        "the admin. Bad input (an unreachable host, a 404, a redirect loop, a page too large, "
        "not HTML, no article text, not UTF-8, an internal address) is a 400 with the reason "
        "under the field; nothing is written. See docs/ingestion.md.",
        request={
            "application/json": IngestionRequestSerializer,
            "multipart/form-data": IngestionRequestSerializer,
        },
        responses={
            201: OpenApiResponse(shape(IngestionJSON), description="Ingested."),
            **error_responses(400, 401, 403, 413, 415),
        },
    )
    def post(self, request):
        params = IngestionRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        field = next(name for name in ("url", "file", "text") if data.get(name))
        try:
            if field == "url":
                ingestion = ingest_url(url=data["url"], user=request.user)
            elif field == "file":
                upload = data["file"]
                ingestion = ingest_html(
                    data=upload.read(), file_name=upload.name, user=request.user
                )
            else:
                ingestion = ingest_text(
                    text=data["text"],
                    title=data["title"],
                    published=data["published"],
                    user=request.user,
                )
        except IngestRefused as exc:
            raise serializers.ValidationError({field: [exc.reason]}) from None
        body = ingestion_json(ingestion, _url(request, ingestion))
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})


class IngestionDetailView(APIView):
    permission_classes = [IsAuthenticated, CanIngest]
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary="An ingestion: the article read and its candidates, with their review state",
        responses={200: shape(IngestionJSON), **error_responses(401, 403, 404)},
    )
    def get(self, request, pk: int):
        ingestion = get_object_or_404(Ingestion.objects.select_related("source"), pk=pk)
        return Response(ingestion_json(ingestion, _url(request, ingestion)))
