"""HTTP freshness, once: which changes are public, the validators (ETag, Last-Modified) they
give, conditional GET (If-None-Match / If-Modified-Since → 304) and the caching headers.

Two adapters call this and hold only their HTTP plumbing: `events.api.caching` for DRF views
and `embeds.caching` for pages and embeds (and `embeds.loader` for the static embed.js).
Each chooses the stamp (public or staff), what else the ETag covers, and its Cache-Control
policy; the parsing, formatting and comparing of validators happen here and nowhere else.
"""

import functools
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models, transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from events.choices import PUBLIC_EVENT_STATUSES, TimelineStatus
from events.models import ChangeStamp, CountryVote, Event, EventRelation, Timeline, TimelineEntry

# --- what moves the public stamp -------------------------------------------------------------


def is_public_change(instance: models.Model, *, was_public: bool = False) -> bool:
    """Whether saving or deleting `instance` changes what anonymous readers can see.

    `was_public`: the stored row was public before this save (a status change out of the
    public set is public too). Drafts, draft timelines and the parts of either are not; actors,
    sources, event types and anything this function does not know are (when in doubt, a
    public bump costs a cache refresh, a missing one serves stale pages).
    """
    return was_public or _is_public(instance)


def stamp_change(instance: models.Model, *, was_public: bool = False) -> None:
    """Bump the stamps for a change to `instance` (signals do it for every save and delete)."""
    if _coalescing.get():
        return  # moved once, when the block ends
    ChangeStamp.bump(public=is_public_change(instance, was_public=was_public))


_coalescing: ContextVar[bool] = ContextVar("stamps_coalesced", default=False)


@contextmanager
def stamps_coalesced() -> Iterator[None]:
    """Inside, changes move no stamp one by one: both stamps (public and staff) move once,
    when the block ends, inside its transaction, so no reader sees the changes under an old
    ETag. For a bulk change of thousands of rows (an import's undo), which would otherwise
    update the stamps' row once per row and ask of each whether readers can see it; moving
    the public stamp when only drafts changed costs a cache refresh, never a stale page."""
    with transaction.atomic():
        token = _coalescing.set(True)
        try:
            yield
        finally:
            _coalescing.reset(token)
        ChangeStamp.bump(public=True)


def _is_public(obj: models.Model) -> bool:
    try:
        if isinstance(obj, Event):
            return obj.status in PUBLIC_EVENT_STATUSES
        if isinstance(obj, Timeline):
            return obj.status == TimelineStatus.PUBLISHED
        if isinstance(obj, TimelineEntry):  # shown only on a published timeline, if public
            return _is_public(obj.timeline) and _is_public(obj.event)
        if isinstance(obj, EventRelation):  # shown only between two public events
            return _is_public(obj.from_event) and _is_public(obj.to_event)
        if isinstance(obj, CountryVote):
            return _is_public(obj.vote_record.event)
        if _is_event_part(type(obj)):  # participation, citation, aid measure, vote record
            return _is_public(obj.event)
    except ObjectDoesNotExist:  # a part deleted with its event: the event decides
        return False
    return True


def _is_event_part(model) -> bool:
    try:
        return model._meta.get_field("event").related_model is Event
    except FieldDoesNotExist:
        return False


# --- validators --------------------------------------------------------------------------------


def canonical_query(query) -> str:
    """A QueryDict as a string with parameters (and repeated values) in a stable order."""
    return urlencode(sorted((key, value) for key, values in query.lists() for value in values))


def format_etag(opaque: str, *, weak: bool = True) -> str:
    return f'W/"{opaque}"' if weak else f'"{opaque}"'


def opaque_tags(header: str) -> set[str]:
    """The opaque parts of the tags in an If-None-Match or If-Match header (W/, quotes off)."""
    return {tag.removeprefix("W/").strip('"') for tag in parse_etags(header)}


@dataclass(frozen=True)
class Validators:
    """What a response is validated by: an opaque tag and, when there is one, a change time."""

    opaque: str
    last_modified: int | None = None  # seconds since the epoch
    weak: bool = True

    @property
    def etag(self) -> str:
        return format_etag(self.opaque, weak=self.weak)

    def not_modified(self, headers) -> bool:
        """If-None-Match (weak comparison) wins; without it, If-Modified-Since."""
        if_none_match = headers.get("If-None-Match")
        if if_none_match:
            return if_none_match.strip() == "*" or self.opaque in opaque_tags(if_none_match)
        if self.last_modified is None:
            return False
        since = parse_http_date_safe(headers.get("If-Modified-Since", ""))
        return since is not None and self.last_modified <= since

    @classmethod
    def from_headers(cls, headers) -> "Validators | None":
        """The validators a stored response carries (its ETag and Last-Modified), or None."""
        etag = headers.get("ETag")
        if not etag:
            return None
        weak = etag.startswith("W/")
        opaque = etag.removeprefix("W/").strip('"')
        return cls(opaque, parse_http_date_safe(headers.get("Last-Modified", "")), weak)

    def apply(self, response, *, cache_control: str, vary: Iterable[str] = ()) -> None:
        response["ETag"] = self.etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified)
        response["Cache-Control"] = cache_control
        if vary:
            patch_vary_headers(response, tuple(vary))


def stamp_validators(
    stamp: ChangeStamp, parts: Iterable[str], *, version: int | None = None
) -> Validators:
    """Validators over a change stamp and what else distinguishes the response (view, path,
    query, format, client); a versioned object's version goes in front, for If-Match."""
    text = "\n".join((stamp.token, *parts))
    opaque = hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
    if version is not None:
        opaque = f"{version}.{opaque}"
    return Validators(opaque, int(stamp.changed_at.timestamp()))


def content_validators(body: bytes) -> Validators:
    """A strong tag over fixed content (a static file served at a fixed URL)."""
    return Validators(hashlib.sha256(body).hexdigest()[:20], weak=False)


@functools.cache
def fixed_file(path: Path) -> tuple[bytes, Validators]:
    """A file served by a view at a fixed URL (/embed.js, /favicon.ico): its bytes and their
    validators, read once per process."""
    body = path.read_bytes()
    return body, content_validators(body)


# A file at a fixed URL cannot be immutable: cached for a day, then revalidated by its ETag.
FIXED_URL_CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=604800"


def fixed_content_response(
    request,
    body: bytes,
    validators: Validators,
    *,
    content_type: str,
    cache_control: str = FIXED_URL_CACHE_CONTROL,
) -> HttpResponse:
    """200 with `body`, or 304 when the client's validators match (a static file's view)."""
    if validators.not_modified(request.headers):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
    validators.apply(response, cache_control=cache_control)
    return response
