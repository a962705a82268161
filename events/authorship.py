"""Who did it: the one authorship stamp every write path puts on a row before saving or
deleting it (the admin, the API, the services, the demo loader)."""

from events.models.base import TrackedModel


def stamp_author(obj, user) -> None:
    """Record `user` as the author of this save or delete.

    Tracked rows get `created_by` (when new) and `updated_by`; the revision the change belongs
    to names its user itself (events.revisions.recorded). An anonymous or missing user is
    recorded as nobody.
    """
    user = user if user is not None and user.is_authenticated else None
    if isinstance(obj, TrackedModel):
        if obj._state.adding:
            obj.created_by = user
        obj.updated_by = user
