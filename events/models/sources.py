"""The evidence: sources, and the citations that tie a claim about an event to a source."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from events import dates
from events.choices import CitationStance, DatePrecision, LinkStatus, SourceKind
from events.models.base import TrackedModel, VersionedModel
from events.models.events import Event
from events.querysets import SourceQuerySet
from events.urls_normalise import normalise_url


def link_dead_since(link_status: str, failing_since) -> dt.date | None:
    """The day a dead link started failing; None unless the link is dead. `failing_since` as
    the database gives it: a datetime, or ISO text from a JSON projection (events.rows)."""
    if link_status != LinkStatus.DEAD or not failing_since:
        return None
    if isinstance(failing_since, str):
        return dt.date.fromisoformat(failing_since[:10])
    return failing_since.date()


class Source(TrackedModel, VersionedModel):
    """A document that evidences events: an article, an official document, a transcript …"""

    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    title = models.CharField(max_length=500)
    url = models.URLField(
        "URL",
        max_length=1000,
        null=True,
        blank=True,
        unique=True,
        help_text="Normalised on save (tracking parameters and fragments removed). "
        "Leave blank for a source with no address, such as a print article.",
    )
    reference = models.CharField(
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text="A stable local identifier for a source without a URL "
        "(e.g. a file name in the archive).",
    )
    publisher = models.CharField(max_length=200, blank=True)
    authors = models.TextField(blank=True, help_text="One per line.")
    published_on = models.DateField("publication date", null=True, blank=True)
    published_precision = models.CharField(
        "publication date precision",
        max_length=5,
        choices=DatePrecision.choices,
        blank=True,
        default="",
    )
    published_approximate = models.BooleanField("publication date is approximate", default=False)
    language = models.CharField(
        max_length=12, blank=True, help_text="BCP 47 language tag, e.g. en, uk, ru, fr."
    )
    archive_url = models.URLField(
        "archived copy URL", max_length=1000, blank=True, help_text="e.g. a Wayback Machine copy."
    )
    full_text = models.TextField(blank=True, help_text="The text, where we may keep it.")
    # Kept by events.archiving (the archiver and the link checker), never edited by hand, and
    # not part of the source's history (revisions.NOT_RECORDED): readers see them as
    # "archived copy" and "link dead since …" next to the source.
    archived_at = models.DateTimeField(
        "archived",
        null=True,
        blank=True,
        editable=False,
        help_text="When the latest snapshot of the page was taken; empty when there is none.",
    )
    link_status = models.CharField(
        max_length=10,
        choices=LinkStatus.choices,
        default=LinkStatus.UNCHECKED,
        editable=False,
        db_index=True,
    )
    link_failures = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="Failed checks in a row, since the last success."
    )
    link_failing_since = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="The first failure of the current run of failures: for a dead link, since when.",
    )
    link_checked_at = models.DateTimeField(
        "link last checked", null=True, blank=True, editable=False, db_index=True
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["published_on"], name="events_source_published_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_on__isnull=True, published_precision="")
                | Q(published_on__isnull=False, published_precision__in=DatePrecision.values),
                name="%(app_label)s_%(class)s_publication_precision",
                violation_error_message="A publication date needs a precision, and only then.",
            ),
            models.CheckConstraint(
                condition=~Q(url=""), name="%(app_label)s_%(class)s_url_null_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def author_list(self) -> list[str]:
        return [line.strip() for line in self.authors.splitlines() if line.strip()]

    @property
    def display_published(self) -> str:
        if not self.published_on:
            return ""
        return dates.display_date(
            self.published_on, self.published_precision, self.published_approximate
        )

    @property
    def link_dead_since(self) -> dt.datetime | None:
        """When the link started failing, for a dead link; None otherwise."""
        return self.link_failing_since if self.link_status == LinkStatus.DEAD else None

    def clean(self) -> None:
        # Normalise before Django's unique check, so a pasted duplicate is caught as one.
        self.url = normalise_url(self.url or "") or None
        self.reference = (self.reference or "").strip() or None
        if self.published_on:
            self.published_precision = self.published_precision or DatePrecision.DAY
            problem = dates.precision_error(self.published_on, self.published_precision)
            if problem:
                raise ValidationError({"published_on": problem})
        else:
            self.published_precision = ""

    def save(self, *args, **kwargs):
        self.url = normalise_url(self.url or "") or None
        self.reference = self.reference or None
        super().save(*args, **kwargs)


STANCE_LABELS = dict(CitationStance.choices)


class Citation(models.Model):
    """A source cited for an event, with the passage that supports (or contradicts) it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="citations")
    # PROTECT: a source still cited cannot be deleted.
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField(blank=True, help_text="The passage, verbatim.")
    locator = models.CharField(
        max_length=200, blank=True, help_text="Where in the source: page, paragraph, heading, time."
    )
    stance = models.CharField(
        max_length=12, choices=CitationStance.choices, default=CitationStance.SUPPORTS
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["event", "id"]
        indexes = [
            models.Index(fields=["source", "event"], name="events_citation_source_idx"),
            models.Index(fields=["event", "stance"], name="events_citation_stance_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "source", "locator"],
                name="%(app_label)s_%(class)s_unique_locator",
                violation_error_message="This source is already cited at this place for the event.",
            ),
        ]

    def __str__(self) -> str:
        # Not get_stance_display(), which rebuilds the choices' dict on every call: a revision
        # names every citation it records.
        return f"{self.source} ({str(STANCE_LABELS.get(self.stance, self.stance)).lower()})"

    def removal_problem(self) -> str | None:
        """Why this citation, as stored, may not stop supporting its event (see Event)."""
        stored = (
            type(self)._base_manager.filter(pk=self.pk).select_related("event").first()
            if self.pk
            else None
        )
        if stored is None or stored.stance != CitationStance.SUPPORTS:
            return None
        return stored.event.supporting_citation_problem(leaving=[stored.pk])

    def clean(self) -> None:
        # Downgrading the stance or moving the citation to another event removes its support.
        if self.pk and (self.stance != CitationStance.SUPPORTS or self._moved_event()):
            problem = self.removal_problem()
            if problem:
                raise ValidationError({"stance": problem}, code="last_supporting_citation")

    def _moved_event(self) -> bool:
        stored = type(self)._base_manager.filter(pk=self.pk).values_list("event_id", flat=True)
        return stored.first() != self.event_id

    def delete(self, *args, **kwargs):
        # The last guard for every path; the admin formset and the API check first, with a
        # message in place.
        problem = self.removal_problem()
        if problem:
            raise ValidationError(problem, code="last_supporting_citation")
        return super().delete(*args, **kwargs)
