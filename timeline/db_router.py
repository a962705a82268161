"""Read replicas: public reads go to a replica, everything else to the primary.

When DATABASE_REPLICA_URLS is set, settings add the aliases `replica_0`, `replica_1` … and
install `ReplicaRouter` and `PrimaryPinningMiddleware` (see docs/scaling.md).

Only a request the middleware marks as public may read from a replica: a GET or HEAD, outside
the admin, with neither a logged-in user nor an Authorization header. Everything else reads the
primary: writes (a curator must see what they just saved, not a replica a second behind),
the admin (it shows drafts and edits them), authenticated API clients, and all code that runs
outside a request (management commands, the shell, tasks). Writes and migrations always go to
the primary.
"""

import random
from contextvars import ContextVar

from django.conf import settings

REPLICA_PREFIX = "replica_"
SAFE_METHODS = ("GET", "HEAD")

_public_request: ContextVar[bool] = ContextVar("timeline_public_request", default=False)


def replica_aliases() -> list[str]:
    return sorted(alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX))


def is_public_request(request) -> bool:
    """A read an anonymous reader could make: safe to answer from a slightly stale replica."""
    if request.method not in SAFE_METHODS:
        return False
    if request.path.startswith("/admin/") or "HTTP_AUTHORIZATION" in request.META:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PrimaryPinningMiddleware:
    """Marks public requests so the router may send their reads to a replica.

    Goes after AuthenticationMiddleware, which it needs to tell logged-in users apart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _public_request.set(is_public_request(request))
        try:
            return self.get_response(request)
        finally:
            _public_request.reset(token)


class ReplicaRouter:
    """Reads of a public request go to a random replica; all else goes to `default`."""

    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if replicas and _public_request.get():
            return random.choice(replicas)
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # replicas follow the primary through replication
