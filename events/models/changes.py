"""One cheap answer to “has anything public changed?”, for ETags and Last-Modified."""

from django.db import models
from django.db.models import F
from django.utils import timezone


class ChangeStamp(models.Model):
    """A single row bumped on every write to the curated models (see events.signals).

    Reading it is one primary-key lookup, so every public response can carry an ETag and
    Last-Modified without scanning the events table. Bulk `QuerySet.update()` calls bypass
    signals; code that uses them for visible data must call `ChangeStamp.bump()` itself.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    counter = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="%(app_label)s_%(class)s_single")
        ]

    def __str__(self) -> str:
        return f"change {self.counter} at {self.changed_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def bump(cls) -> None:
        updated = cls.objects.filter(pk=1).update(
            counter=F("counter") + 1, changed_at=timezone.now()
        )
        if not updated:
            cls.objects.get_or_create(pk=1, defaults={"counter": 1})

    @classmethod
    def current(cls) -> "ChangeStamp":
        stamp = cls.objects.filter(pk=1).first()
        return stamp or cls(pk=1, counter=0, changed_at=timezone.now())
