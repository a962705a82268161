"""Who did it: the one authorship stamp every write path puts on a row before saving or
deleting it (the admin, the API, the services, the demo loader), and why, when a bulk job
(an import) is the reason."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from events.models.base import TrackedModel

# The change reason of the writes being made in this context ("Import #12 (votes.csv)").
_change_reason: ContextVar[str] = ContextVar("change_reason", default="")


@contextmanager
def change_reason(reason: str) -> Iterator[None]:
    """Every history record written inside says `reason` (events.imports.writing sets it)."""
    token = _change_reason.set(reason)
    try:
        yield
    finally:
        _change_reason.reset(token)


def current_change_reason() -> str:
    return _change_reason.get()


def stamp_author(obj, user) -> None:
    """Record `user` as the author of this save or delete.

    Tracked rows get `created_by` (when new) and `updated_by`; every row's history record gets
    the user too (simple_history reads `_history_user`, so this holds outside a request, in
    services and commands), and the change reason of the context, if any. An anonymous or
    missing user is recorded as nobody.
    """
    user = user if user is not None and user.is_authenticated else None
    if isinstance(obj, TrackedModel):
        if obj._state.adding:
            obj.created_by = user
        obj.updated_by = user
    obj._history_user = user
    reason = _change_reason.get()
    if reason:
        obj._change_reason = reason
