"""Conditional requests: cheap ETags and 304s on reads, If-Match and `version` checks on writes.

Reads: put `ConditionalReadMixin` first in a view's bases::

    class EventViewSet(ConditionalReadMixin, viewsets.ReadOnlyModelViewSet): ...

For GET and HEAD, once authentication, permissions, throttling and content negotiation have
run but BEFORE the handler (and so before the view's main queries), the mixin reads the
ChangeStamp row (one primary-key query) and computes a weak ETag from the change counter, the
view's class and action, the path, the canonical (sorted) query string, the negotiated media
type and the kind of client (anonymous or which user). A matching `If-None-Match` (or, when that
header is absent, an `If-Modified-Since` not older than the last change) is answered `304 Not
Modified` with no body. Every 200/304 read carries `ETag`, `Last-Modified` (the stamp's
`changed_at`), `Cache-Control` (`public, max-age=60` for anonymous clients, `private, no-cache`
for authenticated ones) and `Vary: Accept, Authorization, Cookie`.

Detail views of a VersionedModel (Actor, Event, Source, Timeline) also put the object's version
in front of the ETag, `W/"<version>.<digest>"`, so clients can send it back in `If-Match`; that
costs one more indexed query (`version_for_etag`). Views whose lookup is not the plain
`lookup_field` override `version_for_etag()`.

Writes: put `VersionedWriteMixin` first in a ModelViewSet over a VersionedModel. On PUT, PATCH
and DELETE it checks, when the client sends them:
- `If-Match`: `*`, or tags whose version part (`"7"`, `W/"7"`, `W/"7.ab12…"`) equals the
  object's current version; otherwise `412 Precondition Failed`;
- a `version` field in the body: it must equal the current version, otherwise `409 Conflict`.
A save that races another writer still fails with ConcurrentEditError (409) in
`VersionedModel.save`. Write responses carry `ETag: W/"<new version>"` for the next `If-Match`.
"""

from rest_framework import status
from rest_framework.response import Response

from events.api.exceptions import Conflict, PreconditionFailed
from events.freshness import Validators, canonical_query, opaque_tags, stamp_validators
from events.models import ChangeStamp, ConcurrentEditError
from events.models.base import VersionedModel

READ_METHODS = ("GET", "HEAD")
ANONYMOUS_CACHE_CONTROL = "public, max-age=60"
AUTHENTICATED_CACHE_CONTROL = "private, no-cache"
VARY = ("Accept", "Authorization", "Cookie")


class _NotModified(Exception):
    """Control flow only: stops the request before the handler; never leaves the mixin."""


class ConditionalReadMixin:
    """ETag / Last-Modified / Cache-Control on reads, and 304 before the handler runs."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in READ_METHODS:
            return
        self._change_stamp = ChangeStamp.current(staff=request.user.is_authenticated)
        self._validators: Validators = stamp_validators(
            self._change_stamp, self.etag_parts(request), version=self.version_for_etag()
        )
        if self._validators.not_modified(request.headers):
            raise _NotModified

    def handle_exception(self, exc):
        if isinstance(exc, _NotModified):
            return Response(status=status.HTTP_304_NOT_MODIFIED)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        validators = getattr(self, "_validators", None)
        fresh = response.status_code in (status.HTTP_200_OK, status.HTTP_304_NOT_MODIFIED)
        if validators and fresh:
            cache_control = (
                AUTHENTICATED_CACHE_CONTROL
                if request.user.is_authenticated
                else ANONYMOUS_CACHE_CONTROL
            )
            validators.apply(response, cache_control=cache_control, vary=VARY)
        return response

    def etag_parts(self, request) -> list[str]:
        """What besides the stamp tells reads apart (see the module docstring)."""
        user = request.user
        return [
            type(self).__name__,
            getattr(self, "action", None) or "",
            request.path,
            canonical_query(request.query_params),
            request.accepted_media_type or "",
            f"user:{user.pk}" if user.is_authenticated else "anonymous",
        ]

    def version_for_etag(self) -> int | None:
        """The object's version on a detail view of a VersionedModel, else None."""
        if not _is_versioned_detail(self):
            return None
        lookup = self.lookup_url_kwarg or self.lookup_field
        return (
            self.get_queryset()
            .filter(**{self.lookup_field: self.kwargs[lookup]})
            .values_list("version", flat=True)
            .first()
        )


def _is_versioned_detail(view) -> bool:
    queryset = getattr(view, "queryset", None)
    lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
    return (
        queryset is not None
        and issubclass(queryset.model, VersionedModel)
        and lookup is not None
        and lookup in getattr(view, "kwargs", {})
    )


def check_if_match(request, obj: VersionedModel) -> None:
    """412 unless `If-Match` (when sent) names the object's current version."""
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":
        return
    versions = {tag.split(".", 1)[0] for tag in opaque_tags(header)}
    if str(obj.version) not in versions:
        raise PreconditionFailed(
            f"{obj._meta.verbose_name.capitalize()} “{obj}” is at version {obj.version}; your "
            f"If-Match names {', '.join(sorted(versions))}. Someone changed it since you read "
            "it: fetch it again, reapply your change, and send the new ETag."
        )


def check_body_version(data, obj: VersionedModel) -> None:
    """409 if the body's `version` (when sent) is not the object's current version."""
    sent = data.get("version") if hasattr(data, "get") else None
    if sent in (None, ""):
        return
    try:
        sent = int(sent)
    except (TypeError, ValueError):
        raise Conflict("“version” must be the integer version you read.") from None
    if sent != obj.version:
        raise Conflict(str(ConcurrentEditError(obj)))


class VersionedWriteMixin:
    """If-Match (412) and body `version` (409) checks on PUT, PATCH and DELETE; ETag on writes."""

    def get_object(self):
        obj = super().get_object()
        if self.request.method in ("PUT", "PATCH", "DELETE"):
            check_if_match(self.request, obj)
            check_body_version(self.request.data, obj)
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        version = (response.data or {}).get("version") if isinstance(response.data, dict) else None
        if (
            request.method not in READ_METHODS
            and version is not None
            and response.status_code < 300
        ):
            response["ETag"] = f'W/"{version}"'
        return response
