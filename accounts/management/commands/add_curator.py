"""Add a curator (or an editor) from the command line, with a password shown once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.onboarding import curator_create


class Command(BaseCommand):
    help = (
        "Create a staff account for USERNAME in the Curator group (--editor: the Editor group, "
        "which may also publish) and print a generated password, once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--editor", action="store_true", help="Editor rights: publish and delete too."
        )
        parser.add_argument("--email", default="", help="Their email address (optional).")
        parser.add_argument(
            "--admin-url",
            default="/admin/",
            help="Where they sign in, as shown in the message (default /admin/).",
        )

    def handle(self, *args, username, editor, email, admin_url, **options):
        try:
            user, password = curator_create(username=username, editor=editor, email=email)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        role = "editor" if editor else "curator"
        self.stdout.write(
            self.style.SUCCESS(f"Added the {role} “{user.get_username()}” (staff status).")
        )
        self.stdout.write(f"Sign in at {admin_url} with:")
        self.stdout.write(f"  username: {user.get_username()}")
        self.stdout.write(f"  password: {password}")
        self.stdout.write(
            "The password is shown only now and works once: pass it on privately; at their "
            "first sign-in the admin asks them to choose their own."
        )
