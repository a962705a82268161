"""Where a merged-away record's address now leads."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class SlugRedirect(models.Model):
    """The slug (actors, events) or id (sources) of a record merged into another, and the
    record it was merged into: its old addresses answer with a permanent redirect there.

    Written by the merge service (events.merging) only; a record merged again later takes its
    redirects along, so none leads to a record that is gone.
    """

    # Written by merges, never edited by people; the merge itself is in the history.
    derived_log = True

    # PROTECT: a content type in use is not removed.
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    old_slug = models.CharField(
        max_length=200, help_text="The slug (actors, events) or id (sources) that was merged."
    )
    old_id = models.PositiveBigIntegerField(
        help_text="The merged record's id, under which its history is kept."
    )
    old_name = models.CharField(max_length=500, help_text="What it was called.")
    target_id = models.PositiveBigIntegerField(help_text="The id of the record kept.")
    merged_at = models.DateTimeField(auto_now_add=True)
    # SET_NULL: removing a user account must not remove the redirects they made.
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "merged record"
        verbose_name_plural = "merged records"
        ordering = ["-merged_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "target_id"], name="events_redirect_target_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "old_slug"],
                name="%(app_label)s_%(class)s_one_per_slug",
                violation_error_message="This address already leads to a merged record.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.old_slug} → #{self.target_id}"

    @property
    def target(self) -> models.Model | None:
        return self.content_type.model_class()._base_manager.filter(pk=self.target_id).first()
