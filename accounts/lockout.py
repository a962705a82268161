"""A cheap answer for a client that django-axes has already locked out.

Axes refuses a locked-out login before any password is hashed, but only after the session,
CSRF, authentication middleware, its own lockout queries and an UPDATE that restarts the
cool-off: about 18 ms and 11 queries a refusal, as much as an API page. A flood of refused
attempts then still eats the workers (issue 10: the events API kept 0.57 of its throughput
under 4 login loops). So when axes locks someone out we also note it in the cache, and this
middleware, first in the stack, answers later attempts from that note with the same 429 page
and no database work at all.

The note lives `NOTE_SECONDS` at most, then one attempt takes axes' full path again (which
restarts the cool-off and renews the note). An editor's unlock (deleting the access attempts in
the admin) clears the notes in this process at once; with the per-process cache of the default
settings other workers see it within `NOTE_SECONDS`, with REDIS_URL at once.
"""

import hashlib

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete
from django.dispatch import receiver

from timeline.client_ip import client_ip

NOTE_SECONDS = 30
LOGIN_PATHS = frozenset({"/admin/login/"})


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login-locked:{kind}:{digest}"


def _keys(*, username: str | None, ip_address: str | None) -> list[str]:
    keys = []
    if username:
        keys.append(_key("username", username))
    if ip_address:
        keys.append(_key("ip", ip_address))
    return keys


@receiver(user_locked_out, dispatch_uid="accounts.lockout.note")
def note_lockout(sender, request, username=None, ip_address=None, **kwargs):
    seconds = min(NOTE_SECONDS, int(settings.AXES_COOLOFF_TIME.total_seconds()))
    cache.set_many(dict.fromkeys(_keys(username=username, ip_address=ip_address), 1), seconds)


@receiver(post_delete, sender=AccessAttempt, dispatch_uid="accounts.lockout.forget")
def forget_lockout(sender, instance, **kwargs):
    cache.delete_many(_keys(username=instance.username, ip_address=instance.ip_address))


class LockedOutShortcutMiddleware:
    """Refuses a login POST from a client or for a username noted as locked out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info in LOGIN_PATHS:
            field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
            keys = _keys(username=request.POST.get(field), ip_address=client_ip(request))
            if cache.get_many(keys):
                from accounts.views import locked_out

                return locked_out(request)
        return self.get_response(request)
