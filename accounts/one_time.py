"""One-time passwords: a password handed to a person (by add_curator or a reset) must be
replaced by one of their own at their first sign-in, before they can do anything else.

At sign-in the session is marked when the account still has the password it was issued;
while it is marked, every admin page except "Change password" (and signing out) leads there.
Only marked sessions cost a query, so the mark is cleared as soon as the password changes.
"""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from accounts.models import IssuedPassword

SESSION_KEY = "timeline_password_issued"
MESSAGE = (
    "You signed in with a password someone else gave you. Choose your own now: it is the "
    "only way on, and the old one stops working."
)


def issue(user) -> None:
    """Mark `user`'s current password as issued by someone else (call after saving it)."""
    IssuedPassword.objects.update_or_create(user=user, defaults={"password_hash": user.password})


def still_issued(user) -> bool:
    issued = IssuedPassword.objects.filter(user=user).first()
    if issued is None:
        return False
    if issued.password_hash != user.password:
        issued.delete()  # they chose their own: nothing to remember
        return False
    return True


@receiver(user_logged_in)
def _mark_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and still_issued(user):
        request.session[SESSION_KEY] = True


class ReplaceIssuedPasswordMiddleware:
    """Send a session signed in with an issued password to "Change password" in the admin."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin = None  # the admin's address, looked up at the first request

    def __call__(self, request):
        # Only the admin is held back, and only the admin's requests look at the session: a
        # look elsewhere would make public pages and embeds vary on cookies.
        if self.admin is None:
            self.admin = _admin_prefix() or ""
        if not self.admin or not request.path.startswith(self.admin):
            return self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.get(SESSION_KEY):
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated or not still_issued(user):
            del session[SESSION_KEY]
            return self.get_response(request)
        if request.path not in _allowed():
            messages.warning(request, MESSAGE)
            return redirect("admin:password_change")
        return self.get_response(request)


def _admin_prefix() -> str | None:
    """Where the admin lives; None in a URLconf without one (the benchmark's naive app)."""
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return None


def _allowed() -> set[str]:
    return {
        reverse("admin:password_change"),
        reverse("admin:password_change_done"),
        reverse("admin:logout"),
        reverse("admin:jsi18n"),
    }
