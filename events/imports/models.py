"""What each import did: the run (who, which file, counts, report) and the rows it wrote."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class ImportFormat(models.TextChoices):
    TIMELINEJS_SHEET = "timelinejs-sheet", "TimelineJS sheet (CSV or XLSX)"
    UN_VOTES = "un-votes", "UN Digital Library GA votes (CSV)"
    CSV = "csv", "Timeline CSV export"
    JSONL = "jsonl", "Timeline dataset (JSONL)"
    TIMELINEJS = "timelinejs", "TimelineJS3 JSON"
    ACLED = "acled", "ACLED (CSV)"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DRY_RUN = "dry_run", "Dry run (nothing written)"
    REFUSED = "refused", "Refused (nothing written)"
    DONE = "done", "Done"
    FAILED = "failed", "Failed (nothing written)"
    UNDOING = "undoing", "Being undone"
    UNDONE = "undone", "Undone"


class Import(models.Model):
    """One run of the import pipeline, dry or real: the report says what it did or would do."""

    # SET_NULL: removing an account keeps the record of what was imported.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="imported by",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    format = models.CharField(max_length=20, choices=ImportFormat.choices)
    options = models.JSONField(
        default=dict, blank=True, help_text="skip_invalid, publish_cited, create_actors …"
    )
    dry_run = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED, db_index=True
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0, help_text="Progress of a running import.")
    created_count = models.PositiveIntegerField("created", default=0)
    updated_count = models.PositiveIntegerField("updated", default=0)
    unchanged_count = models.PositiveIntegerField("unchanged", default=0)
    rejected_count = models.PositiveIntegerField("rejected", default=0)
    report = models.JSONField(default=dict, blank=True)
    # The uploaded file, kept only until a background import has read it.
    content = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_done__lte=models.F("rows_total")) | Q(rows_total=0),
                name="%(app_label)s_%(class)s_progress_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.file_name})"

    @property
    def change_reason(self) -> str:
        """What the history of every row this import writes says."""
        return f"Import #{self.pk} ({self.file_name})"


class ImportItemAction(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"


class ImportItem(models.Model):
    """An object an import created or updated, with its version right after: undo refuses
    when the object was edited since (its version moved)."""

    import_run = models.ForeignKey(
        Import, on_delete=models.CASCADE, related_name="items", verbose_name="import"
    )
    # CASCADE: the content type outlives every row.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    obj = GenericForeignKey("content_type", "object_id")
    action = models.CharField(max_length=10, choices=ImportItemAction.choices)
    row = models.PositiveIntegerField(null=True, blank=True, help_text="Row of the file.")
    version_after = models.PositiveIntegerField(null=True, blank=True)
    before = models.JSONField(
        default=dict, blank=True, help_text="The fields an update changed, as they were before."
    )

    class Meta:
        ordering = ["import_run", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="imports_item_obj_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.content_type.model} #{self.object_id}"


class ExternalId(models.Model):
    """An identifier another dataset gives an event (ACLED's event_id_cnty, the UN Digital
    Library's record id): re-importing the dataset updates the same event."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="external_ids"
    )  # CASCADE: the identifier means nothing without its event.
    scheme = models.CharField(max_length=20, help_text="acled, undl …")
    value = models.CharField(max_length=200)

    class Meta:
        ordering = ["scheme", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "value"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message="This external id already names another event.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"
