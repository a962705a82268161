"""`manage.py load_demo`: load the demo timeline from events/demo/seed_timeline.toml."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from events.demo.loader import DATA_FILE, DemoDataError, DemoLoader


class Command(BaseCommand):
    help = (
        "Load the demo timeline (actors, roles, events, sources, citations, UN votes, aid "
        "measures and the curated timeline) from events/demo/seed_timeline.toml. Idempotent and "
        "all-or-nothing: rows are matched by natural keys (slugs, ISO codes, source URLs or "
        "references, document symbols); a demo row a curator edited since it was loaded is "
        "kept as it is and named in the report, never overwritten or duplicated. Nothing is "
        "deleted. History records every change "
        "with the reason “load_demo”."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Record this user as the author of the changes (default: no user).",
        )

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            User = get_user_model()
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named “{options['user']}”; create it first.")
        try:
            report = DemoLoader.from_file(DATA_FILE, user=user).run()
        except DemoDataError as exc:
            raise CommandError(f"Demo data not loaded (nothing was written): {exc}") from exc
        verdict = "loaded" if report.changed else "already up to date"
        self.stdout.write(self.style.SUCCESS(f"Demo timeline {verdict}."))
        for line in report.lines():
            self.stdout.write(f"  {line}")
