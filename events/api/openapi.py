"""OpenAPI pieces every view shares: the error bodies of events.api.exceptions, by status code.

@extend_schema(responses={200: ActorSerializer, **error_responses(400, 404)})
"""

from typing import is_typeddict

from drf_spectacular import openapi
from drf_spectacular.plumbing import resolve_type_hint
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import permissions, serializers


class AutoSchema(openapi.AutoSchema):
    """REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]: list actions stay lists with per-format responses.

    drf-spectacular guesses "list or object" from the first response it sorts, which for
    `{(200, "application/atom+xml"): str, (200, "application/json"): Rows(many=True)}` is the
    string; then filters and pagination go undocumented. `list` and the actions a view names in
    `schema_list_actions` (e.g. an actor's `events`) are lists, whatever their responses.
    """

    def _is_list_view(self, serializer=None) -> bool:
        action = getattr(self.view, "action", None)
        if serializer is None and action is not None:
            list_actions = ("list", *getattr(self.view, "schema_list_actions", ()))
            if action in list_actions:
                return True
        if serializer is None and action is None:
            return False  # an APIView answering a shape (alignment, grouped timeline): one object
        return super()._is_list_view(serializer)

    def _get_response_bodies(self, direction="response"):
        # Any request may carry a wrong or expired token (401, even on public reads), and any
        # body may be too large (413) or of a type the API does not read (415): every
        # operation documents what it can really answer.
        responses = super()._get_response_bodies(direction)
        generic = [401] + ([413, 415] if self.method in ("POST", "PUT", "PATCH") else [])
        for code, response in error_responses(*generic).items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    response, str(code), direction=direction
                )
        return responses

    def get_auth(self):
        # Reads that anyone may make (DjangoModelPermissionsOrAnonReadOnly, the default) say
        # so with the empty requirement `{}`: authentication is optional there, and a stale
        # session cookie is read as anonymous, not refused.
        auths = super().get_auth()
        anonymous_reads = any(
            isinstance(permission, permissions.DjangoModelPermissionsOrAnonReadOnly)
            for permission in self.view.get_permissions()
        )
        if anonymous_reads and self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _get_filter_parameters(self):
        # The API reads every filter left empty (`?updated_since=`) as not given, as an HTML
        # form sends it: the schema says so, so an empty value is valid whatever the format.
        return [{**p, "allowEmptyValue": True} for p in super()._get_filter_parameters()]

    def _process_override_parameters(self, direction="request"):
        # Parameters a view declares itself: `format` and those it names in
        # `schema_empty_means_unset` read an empty value as not given, like every filter.
        parameters = super()._process_override_parameters(direction)
        # DRF reads `?format=` left empty as no format asked for: the default, JSON.
        for name in ("format", *getattr(self.view, "schema_empty_means_unset", ())):
            if parameters.get((name, "query")):
                parameters[name, "query"]["allowEmptyValue"] = True
        return parameters

    def _get_format_parameters(self):
        # The `?format=` drf-spectacular derives from the renderers: empty is JSON, as above.
        return [{**p, "allowEmptyValue": True} for p in super()._get_format_parameters()]

    def _get_pagination_parameters(self):
        # Likewise `?cursor=` (the first page) and `?page_size=` (the default size).
        return [{**p, "allowEmptyValue": True} for p in super()._get_pagination_parameters()]

    def get_filter_backends(self) -> list:
        # A view that answers one object built from a filtered list (the grouped timeline)
        # says so with `schema_documents_filters`, so its filters are documented too.
        if getattr(self.view, "schema_documents_filters", False):
            return getattr(self.view, "filter_backends", [])
        return super().get_filter_backends()


_Error = inline_serializer(
    name="Error",
    fields={"detail": serializers.CharField(help_text="What went wrong and what to do.")},
)
_ValidationError = inline_serializer(
    name="ValidationError",
    fields={
        "detail": serializers.CharField(help_text="The first problem, in one line."),
        "errors": serializers.DictField(
            child=serializers.JSONField(),
            help_text="Messages per parameter or field, saying what is allowed; "
            "`non_field_errors` for problems of the whole request.",
        ),
    },
)

_DESCRIPTIONS = {
    400: "Invalid parameters or body: `errors` says, per field, what is allowed.",
    401: "Authentication credentials were missing, wrong or expired (a bad token is refused "
    "even where anonymous reading is allowed).",
    403: "Authenticated, but without the model permission this write needs.",
    404: "No such object, or it is not published.",
    409: "Conflict: someone else changed the object (stale `version`), the object is still "
    "in use (the message names what uses it), or another record already has these values.",
    412: "`If-Match` names a version that is no longer current: fetch it again.",
    413: "The body is larger than the API accepts (DATA_UPLOAD_MAX_MEMORY_SIZE): send less.",
    415: "The body is not JSON (or a form): send `Content-Type: application/json`.",
    428: "Neither `If-Match` nor `version` was sent: say which version you change (the "
    "ETag of your last read; for a participation, citation or vote, its event's).",
    429: "Too many anonymous requests: retry after the number of seconds in `Retry-After`.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """OpenAPI responses for these error status codes, in the shapes the API really returns."""
    return {
        code: OpenApiResponse(
            response=_ValidationError if code == 400 else _Error,
            description=_DESCRIPTIONS[code],
        )
        for code in codes
    }


READ_ERRORS = (400, 429)
DETAIL_READ_ERRORS = (400, 404, 429)  # 400: an unknown format (`?format=`, `/x.pdf`)
WRITE_ERRORS = (400, 401, 403, 409, 412, 428)
NOT_MODIFIED = {
    304: OpenApiResponse(
        response=None, description="Not modified: your `If-None-Match` ETag is still current."
    )
}


def shape(typed_dict) -> dict:
    """The OpenAPI schema of a response built as plain dicts, from its TypedDict (shapes.py)."""
    return resolve_type_hint(typed_dict)


def pending_review() -> dict:
    """The 202 a curator's write to published content gets (events.reviews)."""
    from events.api.shapes import Review

    return {
        202: OpenApiResponse(
            response=shape(Review),
            description="Held for review: a curator's change to a published event or timeline "
            "(or one of their parts) is not made; it waits for an editor as this pending "
            "change, and readers keep the published version until it is approved.",
        )
    }


def crud_schema(
    *,
    name: str,
    plural: str,
    row,
    detail,
    summaries: dict[str, str] | None = None,
    descriptions: dict[str, str] | None = None,
    reviewed: bool = False,
    written=None,
):
    """The schema of a ResourceViewSet's standard actions, with their errors, in one call.

    `row` and `detail` are TypedDicts (or serializers); `summaries` and `descriptions` override
    the standard texts per action ("list", "retrieve", "create", "update", "partial_update",
    "destroy"). Every change names the version it changes (its own, or its aggregate root's):
    428 without one, 412 when it is stale. `reviewed`: writes to published content by someone
    who may not publish answer 202 with the pending change (ReviewedWriteMixin). `written`:
    the shape of a write's answer when it is not the detail's (the detail with `warnings`).
    """
    held = pending_review() if reviewed else {}
    article = "an" if name[0] in "aeiou" else "a"
    stale = (412, 428)
    if is_typeddict(row):
        row = shape(row)  # list views wrap it in the page
    if is_typeddict(detail):
        detail = shape(detail)
    if is_typeddict(written):
        written = shape(written)
    written = written or detail
    texts = {
        "list": f"List {plural}",
        "retrieve": f"One {name}",
        "create": f"Create {article} {name}",
        "update": f"Replace {article} {name}",
        "partial_update": f"Change {article} {name}",
        "destroy": f"Delete {article} {name}",
        **(summaries or {}),
    }
    descriptions = descriptions or {}
    responses = {
        "list": {200: row, **NOT_MODIFIED, **error_responses(*READ_ERRORS)},
        "retrieve": {200: detail, **NOT_MODIFIED, **error_responses(*DETAIL_READ_ERRORS)},
        "create": {201: written, **held, **error_responses(400, 401, 403, 409)},
        "update": {200: written, **held, **error_responses(400, 401, 403, 404, 409, *stale)},
        "partial_update": {
            200: written,
            **held,
            **error_responses(400, 401, 403, 404, 409, *stale),
        },
        "destroy": {204: None, **held, **error_responses(400, 401, 403, 404, 409, *stale)},
    }
    return extend_schema_view(
        **{
            action: extend_schema(
                summary=texts[action],
                description=descriptions.get(action),
                responses=responses[action],
            )
            for action in responses
        }
    )
