"""Proposed changes to published content, waiting for an editor (events.reviews)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from reversion.models import Revision

from events.choices import ReviewStatus


class RevisionReview(models.Model):
    """A curator's change to a published event or timeline, held as a revision that readers do
    not see until an editor approves it (then it is restored live) or rejects it with a reason.

    The revision (django-reversion) holds the whole aggregate as the curator left it; it is not
    part of the object's history until approved (the approval is a revision of its own).
    """

    # CASCADE: the review is the revision's meta data and means nothing without it.
    revision = models.OneToOneField(Revision, on_delete=models.CASCADE, related_name="review")
    # PROTECT: the kind of object reviewed stays known.
    root_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    root_id = models.CharField(max_length=40, help_text="Primary key of the event or timeline.")
    root_repr = models.CharField(max_length=300, help_text="Its title when proposed.")
    base_version = models.PositiveIntegerField(
        help_text="The version the change was made to; approving needs it still current."
    )
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING, db_index=True
    )
    # SET_NULL: removing an account must not remove what it proposed or decided.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was rejected; the curator sees it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "proposed change"
        indexes = [
            models.Index(fields=["root_type", "root_id"], name="events_review_root_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ReviewStatus.REJECTED) | ~models.Q(reason=""),
                name="%(app_label)s_%(class)s_rejection_has_reason",
                violation_error_message="Say why the change is rejected; the curator sees it.",
            ),
        ]

    def __str__(self) -> str:
        return f"Change to “{self.root_repr}” ({self.get_status_display().lower()})"

    @property
    def root(self) -> models.Model | None:
        model = self.root_type.model_class()
        return model._base_manager.filter(pk=self.root_id).first()
