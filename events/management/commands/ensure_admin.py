"""Create the first admin account, once. Run by `make run`; safe to run again."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create a superuser if none exists: username from TIMELINE_ADMIN_USERNAME (default "
        "“admin”), password from TIMELINE_ADMIN_PASSWORD, or a generated one printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("TIMELINE_ADMIN_USERNAME", "").strip() or "admin"
        existing = (
            User.objects.filter(**{User.USERNAME_FIELD: username}).first()
            or User.objects.filter(is_superuser=True).order_by("pk").first()
        )
        if existing is not None:
            self.stdout.write(
                f"The admin account “{existing.get_username()}” exists already; nothing to do."
            )
            return
        password = os.environ.get("TIMELINE_ADMIN_PASSWORD", "")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(18)
        else:
            # The same rules as every other password (AUTH_PASSWORD_VALIDATORS): no "admin".
            try:
                validate_password(password, User(**{User.USERNAME_FIELD: username}))
            except ValidationError as exc:
                raise CommandError(
                    "TIMELINE_ADMIN_PASSWORD is too weak: " + " ".join(exc.messages)
                ) from exc
        User.objects.create_superuser(
            **{User.USERNAME_FIELD: username}, email="", password=password
        )
        if generated:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Admin login: {username} / {password} (shown once; change it in the admin)"
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Admin login: {username} with the password from TIMELINE_ADMIN_PASSWORD."
                )
            )
