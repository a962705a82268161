"""Archived copies of sources and the link checker's log (written by events.archiving)."""

from django.core.files.storage import Storage, storages
from django.db import models

from events.models.sources import Source


def archive_storage() -> Storage:
    """The storage snapshots are kept in: the "archive" alias of settings.STORAGES (local files
    under TIMELINE_ARCHIVE_DIR by default, any Django storage in production)."""
    return storages["archive"]


class SourceSnapshot(models.Model):
    """A source's page as fetched once: its exact bytes (in the archive storage, named by their
    SHA-256 so identical content is stored once) and what the server said about them."""

    # Written by the archiving code, never by people: no admin of its own, no history, and no
    # change stamps of its own (events.archiving bumps the public stamp when readers see it).
    derived_log = True

    # CASCADE: a snapshot is part of its source's record. Sources are kept by their citations
    # (PROTECT there); an uncited source, e.g. a mistaken paste or an undone ingestion, can
    # still be deleted with its snapshots (the stored file may be shared and stays).
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="snapshots")
    file = models.FileField(
        storage=archive_storage,
        max_length=300,
        help_text="The page's bytes, named by their SHA-256 in the archive storage.",
    )
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    fetched_at = models.DateTimeField()
    status = models.PositiveSmallIntegerField("HTTP status")
    final_url = models.URLField("final URL", max_length=2000, help_text="After redirects.")
    content_type = models.CharField(max_length=100, help_text="Media type, without parameters.")
    charset = models.CharField(max_length=40, blank=True, help_text="As the server declared it.")
    size = models.PositiveIntegerField(help_text="Bytes.")
    text = models.TextField(blank=True, help_text="The extracted main text, when there is one.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "-fetched_at", "-id"]
        get_latest_by = "fetched_at"
        indexes = [
            models.Index(fields=["source", "-fetched_at"], name="events_snapshot_latest_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "sha256"],
                name="%(app_label)s_%(class)s_unique_content",
                violation_error_message="This source already has a snapshot of this content.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.fetched_at:%Y-%m-%d %H:%M}, {self.sha256[:12]})"


class LinkCheck(models.Model):
    """One check of a source's URL by the link checker (`manage.py check_links`)."""

    derived_log = True  # written by the checker: no admin, no history, no stamps of its own

    # CASCADE: a check describes its source and means nothing without it.
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="link_checks")
    checked_at = models.DateTimeField()
    ok = models.BooleanField()
    status = models.PositiveSmallIntegerField(
        "HTTP status", null=True, blank=True, help_text="Empty when the server never answered."
    )
    reason = models.CharField(max_length=300, blank=True, help_text="Why the check failed.")

    class Meta:
        ordering = ["source", "-checked_at", "-id"]
        get_latest_by = "checked_at"
        indexes = [
            models.Index(fields=["source", "-checked_at"], name="events_linkcheck_latest_idx"),
        ]

    def __str__(self) -> str:
        outcome = "ok" if self.ok else (self.reason or "failed")
        return f"{self.source} at {self.checked_at:%Y-%m-%d %H:%M}: {outcome}"
