"""Archived copies of sources: snapshots of fetched pages, and the link checker.

Every page fetched for a source (by ingestion, or by the background job that archives a source
added by hand) is stored as a `SourceSnapshot`: its exact bytes in the "archive" storage
(settings.STORAGES; docs/operations.md), named by their SHA-256, so identical content is kept
once however many sources or fetches share it. The raw bytes are kept rather than a WARC: they
are what curators and readers open, the hash proves them, and the HTTP facts a WARC would add
(status, final URL, media type, charset, time) are columns here. The text is never trusted as
HTML: archived pages are served in a sandbox (`snapshot_response`, below).
"""

import re
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone

from events.choices import LinkStatus
from events.fetching import HTML_TYPES, FetchRefused, FetchResult, fetch
from events.freshness import Validators, stamp_change
from events.models import LinkCheck, Source, SourceSnapshot
from events.models.archive import archive_storage

_EXTENSIONS = {
    "text/html": ".html",
    "application/xhtml+xml": ".xhtml",
    "text/plain": ".txt",
    "application/pdf": ".pdf",
}
_CHARSET = re.compile(r"charset\s*=\s*\"?([A-Za-z0-9._:-]{1,40})", re.IGNORECASE)


def stored_name(sha256: str, content_type: str) -> str:
    """Where content with this hash lives in the archive storage (the same bytes, one file)."""
    return f"snapshots/{sha256[:2]}/{sha256}{_EXTENSIONS.get(content_type, '.bin')}"


def store_snapshot(*, source: Source, result: FetchResult, text: str = "") -> SourceSnapshot:
    """Keep `result` as a snapshot of `source` and return it.

    The same content for the same source is one snapshot (returned as it is, its text filled
    in if it had none); the same content for another source shares the stored file. Safe inside
    the caller's transaction: if that rolls back, only the content-addressed file remains, and
    the next snapshot of the same bytes reuses it.
    """
    existing = SourceSnapshot.objects.filter(source=source, sha256=result.sha256).first()
    if existing is not None:
        if text and not existing.text:
            existing.text = text
            existing.save(update_fields=["text"])
        return existing

    name = _store_file(result)
    match = _CHARSET.search(result.headers.get("content-type", ""))
    try:
        with transaction.atomic():
            snapshot = SourceSnapshot.objects.create(
                source=source,
                file=name,
                sha256=result.sha256,
                fetched_at=result.fetched_at,
                status=result.status,
                final_url=result.url[:2000],
                content_type=result.content_type[:100],
                charset=match.group(1).lower() if match else "",
                size=len(result.body),
                text=text,
            )
    except IntegrityError:  # a concurrent job stored the same content for this source first
        return SourceSnapshot.objects.get(source=source, sha256=result.sha256)

    if source.archived_at is None or source.archived_at < result.fetched_at:
        # update(): the archive's conclusions are not a curator's edit (no version, no history).
        Source.objects.filter(pk=source.pk).update(archived_at=result.fetched_at)
        source.archived_at = result.fetched_at
        stamp_change(source)  # readers now see "archived copy"
    return snapshot


def _store_file(result: FetchResult) -> str:
    storage = archive_storage()
    name = stored_name(result.sha256, result.content_type)
    if storage.exists(name):
        return name
    return storage.save(name, ContentFile(result.body))


# --- archiving a source ----------------------------------------------------------------------

# What a hand-added source may be archived as: pages, plain text and PDFs (official documents).
ARCHIVE_TYPES = (*HTML_TYPES, "text/plain", "application/pdf")


def archive_later(source: Source) -> None:
    """Archive `source` in the background once the current transaction commits (a source
    added or re-addressed by hand, in the admin or through the API)."""
    if not source.url:
        return
    from events.tasks import archive_source_task

    source_id = source.pk
    transaction.on_commit(lambda: archive_source_task.enqueue(source_id))


def archive_source(source: Source) -> SourceSnapshot | None:
    """Fetch `source`'s URL and keep a snapshot; the fetch counts as a check of the link.

    Returns the snapshot, or None when the page could not be fetched (the reason is recorded
    as a failed check, for curators to read on the source's admin page).
    """
    if not source.url:
        return None
    try:
        result = fetch(source.url, allowed_types=ARCHIVE_TYPES)
    except FetchRefused as refused:
        record_check(source, ok=_answered(refused), status=refused.status, reason=refused.reason)
        return None
    snapshot = store_snapshot(source=source, result=result)
    record_check(source, ok=True, status=result.status, at=result.fetched_at)
    return snapshot


# --- checking links --------------------------------------------------------------------------

# Failures in a row after which a link counts as dead: one failure may be a bad minute.
DEAD_AFTER_FAILURES = 2


def sources_to_check(*, limit: int | None = None, older_than: timedelta | None = None):
    """Sources with a URL, those never checked first, then the longest unchecked."""
    sources = Source.objects.exclude(url=None).order_by(
        F("link_checked_at").asc(nulls_first=True), "id"
    )
    if older_than is not None:
        cutoff = timezone.now() - older_than
        sources = sources.filter(Q(link_checked_at=None) | Q(link_checked_at__lt=cutoff))
    return sources[:limit] if limit else sources


def check_link(source: Source) -> LinkCheck:
    """GET the source's URL with the safe fetcher and record the outcome (see record_check).

    A 4xx or 5xx answer, a refusal (internal address, redirect loop) or a timeout is a failure;
    a page that answered 2xx but is too large or of another type is not. A page that answered
    and has no archived copy yet is archived on the way.
    """
    try:
        result = fetch(source.url, allowed_types=None)
    except FetchRefused as refused:
        return record_check(
            source, ok=_answered(refused), status=refused.status, reason=refused.reason
        )
    if source.archived_at is None and result.content_type in ARCHIVE_TYPES:
        store_snapshot(source=source, result=result)
    return record_check(source, ok=True, status=result.status, at=result.fetched_at)


def record_check(
    source: Source, *, ok: bool, status: int | None, reason: str = "", at=None
) -> LinkCheck:
    """Log one check and move the source's link state.

    A success makes the link alive (its failures forgotten); a failure starts or extends a run
    of failures, and the second in a row makes it dead, dead since the run's first failure.
    """
    at = at or timezone.now()
    check = LinkCheck.objects.create(
        source=source, checked_at=at, ok=ok, status=status, reason=reason[:300]
    )
    before = source.link_status
    if ok:
        source.link_status, source.link_failures, source.link_failing_since = (
            LinkStatus.ALIVE,
            0,
            None,
        )
    else:
        source.link_failures += 1
        source.link_failing_since = source.link_failing_since or at
        source.link_status = (
            LinkStatus.DEAD if source.link_failures >= DEAD_AFTER_FAILURES else LinkStatus.FAILING
        )
    source.link_checked_at = at
    # update(): the checker's conclusions are not a curator's edit (no version, no history).
    Source.objects.filter(pk=source.pk).update(
        link_status=source.link_status,
        link_failures=source.link_failures,
        link_failing_since=source.link_failing_since,
        link_checked_at=at,
    )
    if before != source.link_status:
        stamp_change(source)  # readers see "link dead since …" come or go, the API the status
    return check


def check_links(*, limit: int | None = None, older_than: timedelta | None = None) -> dict:
    """Check the links due (see sources_to_check); counts of what was found, for reports."""
    counts = {"checked": 0, "failed": 0, "dead": 0}
    for source in sources_to_check(limit=limit, older_than=older_than).iterator():
        check = check_link(source)
        counts["checked"] += 1
        counts["failed"] += not check.ok
        counts["dead"] += source.link_status == LinkStatus.DEAD
    return counts


def _answered(refused: FetchRefused) -> bool:
    """Whether a refused fetch still shows a live link: the server answered below 400 (the
    page was too large or of a type not wanted), rather than an error, a timeout or a refusal."""
    return refused.status is not None and refused.status < 400


# --- serving a copy --------------------------------------------------------------------------

# An archived page is someone else's HTML served from our origin: it must not run scripts here,
# read our cookies, submit forms or load anything (a tracker would learn who reads it). The CSP
# sandbox gives the document an opaque origin with scripts, forms and plugins off; everything
# but inline styles and data: images is refused; the bytes are served as they were stored.
SANDBOX_POLICY = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def latest_snapshot(sources) -> SourceSnapshot | None:
    """The newest snapshot of the one source in `sources` (a visibility already applied)."""
    return SourceSnapshot.objects.filter(source__in=sources).order_by("-fetched_at", "-id").first()


def snapshot_response(snapshot: SourceSnapshot, request, *, private: bool) -> HttpResponse:
    """The stored bytes, never trusted: HTML in a sandbox, plain text as text, anything else
    (a PDF) as a download. The ETag is the content's hash; `private` responses are not kept."""
    validators = Validators(snapshot.sha256[:32], weak=False)
    cache_control = "private, no-store" if private else "public, no-cache"
    if validators.not_modified(request.headers):
        response = HttpResponseNotModified()
    else:
        with snapshot.file.open("rb") as stored:
            body = stored.read()
        kind = snapshot.content_type
        charset = f"; charset={snapshot.charset}" if snapshot.charset else ""
        extension = _EXTENSIONS.get(kind, ".bin")
        disposition = "inline"
        if kind in HTML_TYPES:
            content_type = f"text/html{charset}"
        elif kind == "text/plain":
            content_type = f"text/plain{charset}"
        else:
            content_type, disposition = kind or "application/octet-stream", "attachment"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (
            f'{disposition}; filename="archived-{snapshot.sha256[:12]}{extension}"'
        )
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    validators.apply(response, cache_control=cache_control, vary=("Cookie",))
    return response
