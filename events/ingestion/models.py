"""What each ingestion read (an article, with its source) and the candidate events it proposed,
waiting for a curator to accept, merge or reject each; and the rejections to remember."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from events.choices import DatePrecision


class IngestionKind(models.TextChoices):
    URL = "url", "Fetched from a URL"
    TEXT = "text", "Pasted text"
    FILE = "file", "Uploaded HTML file"


class IngestionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    REVIEWED = "reviewed", "Reviewed"


class CandidateState(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted (new draft event)"
    MERGED = "merged", "Merged into an existing event"
    REJECTED = "rejected", "Rejected"


class Ingestion(models.Model):
    """One article read: who asked, what came in, what was extracted, and the review's counts.

    Only a readable article is recorded: bad input (an unreachable host, a 404, a PDF, no
    article text …) is refused before anything is written.
    """

    # SET_NULL: removing an account keeps the record of what was ingested.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ingested by",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField("input", max_length=4, choices=IngestionKind.choices)
    url = models.URLField("URL", max_length=1000, blank=True, help_text="As given.")
    file_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(
        "SHA-256", max_length=64, db_index=True, help_text="Of the page's bytes or the text."
    )
    # PROTECT: the article cited by the events accepted from it stays.
    source = models.ForeignKey("events.Source", on_delete=models.PROTECT, related_name="ingestions")
    title = models.CharField(max_length=500, blank=True)
    author = models.CharField(max_length=500, blank=True)
    published = models.DateField("publication date", null=True, blank=True)
    text = models.TextField(blank=True, help_text="The main text, one paragraph a line.")
    status = models.CharField(
        max_length=10,
        choices=IngestionStatus.choices,
        default=IngestionStatus.PENDING,
        db_index=True,
    )
    error = models.TextField(
        blank=True, help_text="A problem that did not stop the ingestion, e.g. no archived copy."
    )
    candidate_count = models.PositiveIntegerField("candidates", default=0)
    skipped_count = models.PositiveIntegerField(
        "skipped", default=0, help_text="Sentences rejected before for this article."
    )
    accepted_count = models.PositiveIntegerField("accepted", default=0)
    merged_count = models.PositiveIntegerField("merged", default=0)
    rejected_count = models.PositiveIntegerField("rejected", default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Ingestion #{self.pk} ({self.title or self.url or self.file_name})"

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n")

    @property
    def change_reason(self) -> str:
        return f"From ingestion #{self.pk} ({self.title or self.url or self.file_name})"


class Candidate(models.Model):
    """A sentence that seems to report an event, with what the extractor read in it."""

    ingestion = models.ForeignKey(
        Ingestion, on_delete=models.CASCADE, related_name="candidates"
    )  # CASCADE: a candidate means nothing without its article.
    sentence = models.TextField()
    paragraph = models.PositiveIntegerField(help_text="Its paragraph, counted from 1.")
    fingerprint = models.CharField(
        max_length=64, help_text="Of the sentence, normalised: how a rejection is remembered."
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    approximate = models.BooleanField(default=False)
    actors = models.ManyToManyField("events.Actor", blank=True, related_name="+")
    # SET_NULL: a suggestion only; the curator picks the type on accepting.
    event_type = models.ForeignKey(
        "events.EventType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="suggested type",
    )
    confidence = models.FloatField(default=0.0)
    duplicates = models.ManyToManyField(
        "events.Event",
        blank=True,
        related_name="+",
        help_text="Existing events that may be the same (when it was ingested).",
    )
    state = models.CharField(
        max_length=8,
        choices=CandidateState.choices,
        default=CandidateState.PENDING,
        db_index=True,
    )
    # SET_NULL: deleting a draft event leaves the record that the candidate was decided.
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ingestion_candidates",
        help_text="The event it produced or was merged into.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )  # SET_NULL: the decision outlives the account.
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["ingestion", "paragraph", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gte=0, confidence__lte=1),
                name="%(app_label)s_%(class)s_confidence_range",
                violation_error_message="A confidence is between 0 and 1.",
            ),
        ]

    def __str__(self) -> str:
        return self.sentence[:80]


class Rejection(models.Model):
    """A sentence a curator rejected for an article (its source's normalised URL, or the
    reference that names a pasted text by its hash): never proposed again for that article."""

    article = models.CharField(max_length=1000, help_text="Normalised URL or sha256:<hash>.")
    fingerprint = models.CharField(max_length=64)
    sentence = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )  # SET_NULL: the rejection outlives the account.
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "fingerprint"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message="This sentence is already rejected for this article.",
            ),
        ]

    def __str__(self) -> str:
        return self.sentence[:80]
