"""Create the first admin account, once. Run by `make run`; safe to run again."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


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
