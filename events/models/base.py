"""Pieces every curated model shares: timestamps, authorship and optimistic locking."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import F


class ConcurrentEditError(Exception):
    """Raised when a row changed since the object being saved was read (a stale form)."""

    def __init__(self, obj: models.Model):
        self.obj = obj
        super().__init__(
            f"{obj._meta.verbose_name.capitalize()} “{obj}” was changed by someone else "
            f"since you opened it. Review their change in its history, then reapply yours."
        )


class TrackedModel(models.Model):
    """Timestamps plus who created and who last changed the row."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # SET_NULL: removing a user account must never remove the data they curated.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """Optimistic locking: a save only succeeds if the row still has the version we read.

    Forms and the API carry `version` through the round trip; if another writer saved in
    between, `save()` raises ConcurrentEditError instead of silently overwriting them.
    """

    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Increases on every save; used to detect concurrent edits.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        manager = type(self)._base_manager.using(kwargs.get("using") or self._state.db)
        # A history record's `.instance` is "adding" yet names an existing row: lock it too,
        # or a revert would write its old version number back and reopen stale forms.
        if self.pk is None or (self._state.adding and not manager.filter(pk=self.pk).exists()):
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using") or self._state.db):
            claimed = manager.filter(pk=self.pk, version=self.version).update(
                version=F("version") + 1
            )
            if not claimed:
                raise ConcurrentEditError(self)
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            return super().save(*args, **kwargs)


# A part of an aggregate (DESIGN.md: "An event is an aggregate") has no version of its own:
# it is versioned and locked as part of its root, whose version moves whenever a part is
# saved or deleted, by any path (API, admin inline or page, service). So the root's version,
# the one clients and forms already hold, guards the whole aggregate. The path from each part
# to its root, by model label; a guard test requires every unversioned domain model here.
AGGREGATE_ROOTS: dict[str, tuple[str, ...]] = {
    "events.participation": ("event",),
    "events.citation": ("event",),
    "events.aidmeasure": ("event",),
    "events.voterecord": ("event",),
    "events.countryvote": ("vote_record", "event"),
    "events.eventrelation": ("from_event",),
    "events.timelineentry": ("timeline",),
    "events.role": ("person",),
}


def origin_model(origin) -> type[models.Model]:
    """The model a deletion started from: Django's `origin` of pre_delete and post_delete is
    the instance deleted, or the queryset."""
    return getattr(origin, "model", type(origin))


def root_path(model) -> tuple[str, ...] | None:
    """() for a versioned model, the path to its root for a part, None for neither."""
    if issubclass(model, VersionedModel):
        return ()
    return AGGREGATE_ROOTS.get(model._meta.label_lower)


def aggregate_root(obj: models.Model) -> VersionedModel | None:
    """The versioned object whose version guards `obj` (itself, or its aggregate's root)."""
    path = root_path(type(obj))
    if path is None:
        return None
    for name in path:
        obj = getattr(obj, name)  # the cached object when there is one: forms set it
    return obj


def claim_root_version(part: models.Model) -> None:
    """A part changed: move its root's version, from the version the root was read at.

    The root as the part holds it (an inline's parent form, the API's locked object) carries
    the version that was checked; if the row moved since, the change is refused like a stale
    save of the root itself.
    """
    root = aggregate_root(part)
    manager = type(root)._base_manager.using(part._state.db)
    claimed = manager.filter(pk=root.pk, version=root.version).update(version=F("version") + 1)
    if not claimed:
        raise ConcurrentEditError(root)
    root.version += 1
