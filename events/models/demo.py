"""What `load_demo` last wrote, so a later run can tell a curator's edit from its own."""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class DemoFingerprint(models.Model):
    """A digest of the values `load_demo` gave one demo row when it last wrote it.

    A later run updates the row only while its values still match this digest; a row a
    curator has edited since no longer does, and is kept as it is (events.demo.loader).
    """

    # Written by the loader, never by people: no admin, no history, no change stamps.
    derived_log = True

    # CASCADE: a fingerprint describes its row and means nothing without its model.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    digest = models.CharField(max_length=64, help_text="SHA-256 of the values loaded.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                name="%(app_label)s_%(class)s_one_per_row",
                violation_error_message="A demo row has one fingerprint.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id}: {self.digest[:12]}"
