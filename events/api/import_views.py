"""`POST /api/v1/imports/`: the import pipeline for API clients (curators and editors), and
`GET /api/v1/imports/{id}/` to follow a background import. HTTP only: the rules are in
events.imports."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from events.api.openapi import error_responses, shape
from events.imports.models import Import, ImportFormat, ImportStatus
from events.imports.pipeline import max_upload_bytes, start_import
from events.imports.summary import ImportJSON, import_json


class CanImport(BasePermission):
    message = "Only curators and editors import."

    def has_permission(self, request, view) -> bool:
        return request.user.has_perm("imports.add_import")


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The file: CSV, XLSX, JSON or JSONL.")
    format = serializers.ChoiceField(
        choices=ImportFormat.choices, required=False, help_text="Guessed from the file if left out."
    )
    dry_run = serializers.BooleanField(
        default=True, help_text="Only report what would change (the default); false to write."
    )
    skip_invalid = serializers.BooleanField(default=False)
    publish_cited = serializers.BooleanField(default=False, help_text="Editors only.")
    create_actors = serializers.BooleanField(default=False)

    def validate_file(self, upload):
        if upload.size > max_upload_bytes():
            raise serializers.ValidationError(
                f"The file is {upload.size / 1e6:.0f} MB; imports take at most "
                f"{max_upload_bytes() // (1024 * 1024)} MB."
            )
        return upload


def _url(request, import_run: Import) -> str:
    return request.build_absolute_uri(reverse("import-detail", args=[import_run.pk]))


class ImportListView(APIView):
    permission_classes = [IsAuthenticated, CanImport]
    parser_classes = [MultiPartParser]
    http_method_names = ["post", "options"]

    @extend_schema(
        summary="Import a file (dry run by default)",
        description="Multipart upload. The answer is the dry-run report (`dry_run` true, the "
        "default) or the import: 201 when it ran, 202 when it runs in the background "
        "(follow `url`). A refused file (encoding, columns, invalid rows) is a 422 with the "
        "report; nothing is written. Formats and rules: docs/importing.md.",
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: OpenApiResponse(shape(ImportJSON), description="The dry-run report."),
            201: OpenApiResponse(shape(ImportJSON), description="Imported."),
            202: OpenApiResponse(shape(ImportJSON), description="Queued; follow `url`."),
            422: OpenApiResponse(shape(ImportJSON), description="Refused; nothing written."),
            **error_responses(400, 401, 403),
        },
    )
    def post(self, request):
        params = ImportRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        options = dict(params.validated_data)
        upload = options.pop("file")
        import_run = start_import(
            data=upload.read(), file_name=upload.name, user=request.user, **options
        )
        code = {
            ImportStatus.DRY_RUN: status.HTTP_200_OK,
            ImportStatus.DONE: status.HTTP_201_CREATED,
            ImportStatus.QUEUED: status.HTTP_202_ACCEPTED,
        }.get(import_run.status, status.HTTP_422_UNPROCESSABLE_ENTITY)
        body = import_json(import_run, _url(request, import_run))
        return Response(body, status=code, headers={"Location": body["url"]})


class ImportDetailView(APIView):
    permission_classes = [IsAuthenticated, CanImport]
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary="An import: its progress, counts and report",
        responses={200: shape(ImportJSON), **error_responses(401, 403, 404)},
    )
    def get(self, request, pk: int):
        import_run = get_object_or_404(Import, pk=pk)
        return Response(import_json(import_run, _url(request, import_run)))
