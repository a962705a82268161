"""Archived copies of sources: snapshots of fetched pages, and the link checker.

Every page fetched for a source (by ingestion, or by the background job that archives a source
added by hand) is stored as a `SourceSnapshot`: its exact bytes in the "archive" storage
(settings.STORAGES; docs/operations.md), named by their SHA-256, so identical content is kept
once however many sources or fetches share it. The raw bytes are kept rather than a WARC: they
are what curators and readers open, the hash proves them, and the HTTP facts a WARC would add
(status, final URL, media type, charset, time) are columns here. The text is never trusted as
HTML: archived pages are served in a sandbox (events.archive_views).
"""

import re

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from events.fetching import FetchResult
from events.freshness import stamp_change
from events.models import Source, SourceSnapshot
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
