"""The API's adapter over `events.freshness`: ETags and 304s on reads, preconditions on writes.

Reads: put `ConditionalReadMixin` first in a view's bases::

    class EventViewSet(ConditionalReadMixin, viewsets.ReadOnlyModelViewSet): ...

For GET and HEAD, once authentication, permissions, throttling and content negotiation have
run but BEFORE the handler (and so before the view's main queries), the mixin reads a change
stamp (one primary-key query: the public one for anonymous clients, the staff one, which also
moves with drafts, for authenticated ones) and computes a weak ETag from it, the view's class
and action, the path, the canonical query string, the negotiated media type and the kind of
client (anonymous or which user). A matching `If-None-Match` (or, without it, an
`If-Modified-Since` not older than the stamp's last change) is answered `304 Not Modified`
with no body. Every 200/304 read carries `ETag`, `Last-Modified`, `Cache-Control`
(`public, max-age=60` for anonymous clients, `private, no-cache` for authenticated ones) and
`Vary: Accept, Authorization, Cookie`.

Detail views of a versioned object (Actor, Event, Source, Timeline, and a vote, whose version
is its event's) also put the version in front of the ETag, `W/"<version>.<digest>"`, so
clients can send it back in `If-Match`; that costs one more indexed query. Views whose lookup
is not the plain `lookup_field` (actors by ISO code) override `version_for_etag()`.

Writes: put `VersionedWriteMixin` first in a viewset. PUT, PATCH and DELETE must say which
version they change (else `428 Precondition Required`, saying what to send):
- `If-Match`: `*` (overwrite whatever is there, on purpose), or tags whose version part
  (`"7"`, `W/"7"`, `W/"7.ab12…"`) equals the current version; otherwise `412`;
- or a `version` field in the body: it must equal the current version, otherwise `409`.
A part of an aggregate (participation, citation, vote) carries its root's version (the
event's; see events.models.base.AGGREGATE_ROOTS). A save that races another writer still
fails with ConcurrentEditError (409). Write responses carry `ETag: W/"<new version>"`.
"""

from rest_framework import status
from rest_framework.response import Response

from events.api.exceptions import Conflict, PreconditionFailed, PreconditionRequired
from events.freshness import (
    Validators,
    canonical_query,
    format_etag,
    opaque_tags,
    stamp_validators,
)
from events.models import ChangeStamp, ConcurrentEditError
from events.models.base import VersionedModel, aggregate_root, root_path
from timeline.response_cache import mark_shareable

READ_METHODS = ("GET", "HEAD")
WRITE_METHODS = ("PUT", "PATCH", "DELETE")
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
        staff = request.user.is_authenticated
        # The public stamp the response cache already read for this request, when it did.
        stamp = None if staff else getattr(request._request, "public_stamp", None)
        self._change_stamp = stamp or ChangeStamp.current(staff=staff)
        if not staff:  # kept for what the view keys on it (events.filtersets' references)
            request._request.public_stamp = self._change_stamp
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
            if not request.user.is_authenticated:
                mark_shareable(response)  # timeline.response_cache may keep it
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
        """The version (its aggregate root's, for a part such as a vote) on a detail view of a
        versioned object, else None."""
        if not _is_versioned_detail(self):
            return None
        lookup = self.lookup_url_kwarg or self.lookup_field
        version = "__".join((*root_path(self.queryset.model), "version"))
        return (
            self.get_queryset()
            .filter(**{self.lookup_field: self.kwargs[lookup]})
            .values_list(version, flat=True)
            .first()
        )


def _is_versioned_detail(view) -> bool:
    queryset = getattr(view, "queryset", None)
    lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
    return (
        queryset is not None
        and root_path(queryset.model) is not None
        and lookup is not None
        and lookup in getattr(view, "kwargs", {})
    )


def require_precondition(request, root: VersionedModel, obj) -> None:
    """428 unless the write names the version it was based on (If-Match or `version`)."""
    if request.headers.get("If-Match") or _body_version(request.data) not in (None, ""):
        return
    what = root._meta.verbose_name
    if root is not obj:
        what = f"{what} this {obj._meta.verbose_name} belongs to (its parts share its version)"
    raise PreconditionRequired(
        f"Say which version you are changing, so that your write cannot overwrite a change "
        f"made since you read it: send the ETag of your last GET of the {what} in an "
        f"If-Match header, or its `version` in the body."
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
    sent = _body_version(data)
    if sent in (None, ""):
        return
    try:
        sent = int(sent)
    except (TypeError, ValueError):
        raise Conflict("“version” must be the integer version you read.") from None
    if sent != obj.version:
        raise Conflict(str(ConcurrentEditError(obj)))


def _body_version(data):
    return data.get("version") if hasattr(data, "get") else None


class VersionedWriteMixin:
    """PUT, PATCH and DELETE need If-Match or `version` (428), a current one (412 / 409);
    writes answer with the ETag of the new version.

    For a part of an aggregate (participation, citation, vote) the version is its root's (the
    event's): reading the event gives the ETag to send, and any write to a part moves it.
    """

    def get_object(self):
        obj = super().get_object()
        if self.request.method in WRITE_METHODS:
            root = aggregate_root(obj)
            require_precondition(self.request, root, obj)
            check_if_match(self.request, root)
            check_body_version(self.request.data, root)
            self._locked_root = root
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in READ_METHODS or response.status_code >= 300:
            return response
        version = response.data.get("version") if isinstance(response.data, dict) else None
        root = getattr(self, "_locked_root", None)
        if version is None and root is not None:  # a part, or a deleted object: ask the row
            version = (
                type(root)
                ._base_manager.filter(pk=root.pk)
                .values_list("version", flat=True)
                .first()
            )
        if version is not None:
            response["ETag"] = format_etag(str(version))
        return response
