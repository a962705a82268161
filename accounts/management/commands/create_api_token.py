"""Make an API token for a person from the command line (the admin does it for oneself)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it once (only its digest is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--days",
            type=int,
            default=settings.REST_KNOX["TOKEN_TTL"].days,
            help="Days until the token expires (default: API_TOKEN_DAYS, 90).",
        )

    def handle(self, *args, username, days, **options):
        if not 1 <= days <= 365:
            raise CommandError("--days must be from 1 to 365.")
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user “{username}”.")
        _, token = AuthToken.objects.create(user=user, expiry=timedelta(days=days))
        self.stdout.write(token)
