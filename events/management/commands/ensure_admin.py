"""Create the first admin account, once, and say how to sign in. Run by `make run`; safe to run
again. `--reset-password` gives the account a new password when the first one is lost."""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.onboarding import generated_password, password_reset

RESET_HINT = "make reset-password (or: manage.py ensure_admin --reset-password)"


class Command(BaseCommand):
    help = (
        "Create a superuser if none exists: username from TIMELINE_ADMIN_USERNAME (default "
        "“admin”), password from TIMELINE_ADMIN_PASSWORD, or a generated one printed once. "
        "Ends with where and how to sign in. --reset-password sets a new password instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help="Give the admin account a new password (TIMELINE_ADMIN_PASSWORD or generated) "
            "and lift any login lockout.",
        )
        parser.add_argument(
            "--username",
            help="With --reset-password: whose password (default: the admin account).",
        )
        parser.add_argument(
            "--url", default="/admin/", help="The admin's address, as shown in the message."
        )

    def handle(self, *args, reset_password, username, url, **options):
        User = get_user_model()
        self.url = url
        if username:  # --username names exactly one account
            existing = User.objects.filter(**{User.USERNAME_FIELD: username.strip()}).first()
        else:
            username = os.environ.get("TIMELINE_ADMIN_USERNAME", "").strip() or "admin"
            existing = (
                User.objects.filter(**{User.USERNAME_FIELD: username}).first()
                or User.objects.filter(is_superuser=True).order_by("pk").first()
            )
        if reset_password:
            if existing is None:
                raise CommandError(f"No account “{username}”; nothing was changed.")
            password, generated = self._password(User, existing.get_username())
            password_reset(user=existing, password=password, one_time_use=generated)
            self._sign_in(existing.get_username(), password if generated else None, "Reset")
            return
        if existing is not None:
            self.stdout.write(
                f"The admin account “{existing.get_username()}” exists already; nothing to do."
            )
            self._sign_in(existing.get_username(), None, "Existing")
            return
        password, generated = self._password(User, username)
        User.objects.create_superuser(
            **{User.USERNAME_FIELD: username}, email="", password=password
        )
        self._sign_in(username, password if generated else None, "New")

    def _password(self, User, username: str) -> tuple[str, bool]:
        """(password, whether it was generated): TIMELINE_ADMIN_PASSWORD or a new one."""
        password = os.environ.get("TIMELINE_ADMIN_PASSWORD", "")
        if not password:
            return generated_password(), True
        # The same rules as every other password (AUTH_PASSWORD_VALIDATORS): no "admin".
        try:
            validate_password(password, User(**{User.USERNAME_FIELD: username}))
        except ValidationError as exc:
            raise CommandError(
                "TIMELINE_ADMIN_PASSWORD is too weak: " + " ".join(exc.messages)
            ) from exc
        return password, False

    def _sign_in(self, username: str, password: str | None, state: str) -> None:
        """The last lines of `make run`'s set-up: where to sign in, and with what."""
        rule = "=" * 72
        self.stdout.write(rule)
        self.stdout.write(self.style.SUCCESS(f"Curators' admin: {self.url}"))
        if password and state == "Reset":
            self.stdout.write(
                self.style.SUCCESS(
                    f"Login: {username} / {password} (shown once, and it works once: at "
                    "sign-in the admin asks for a password of their own)"
                )
            )
        elif password:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Admin login: {username} / {password} (shown once; change it in the admin)"
                )
            )
        elif state in ("New", "Reset"):
            self.stdout.write(
                self.style.SUCCESS(
                    f"Admin login: {username} with the password from TIMELINE_ADMIN_PASSWORD."
                )
            )
        else:
            self.stdout.write(
                f"Admin login: {username} with the password shown when it was created. "
                f"Lost it? {RESET_HINT}"
            )
        self.stdout.write(
            "Add curators with: manage.py add_curator NAME [--editor] (they need staff status "
            "and the Curator or Editor group; the command gives both)."
        )
        self.stdout.write(rule)
