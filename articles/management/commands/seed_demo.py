from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.demo import USERS, load_demo


class Command(BaseCommand):
    help = (
        "Load the invented demo newsroom (staff log-ins, authors, an AI agent, sponsors, "
        "sources and articles). Safe to run again: it only adds what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even though DEBUG is off. The demo accounts have publicly known passwords.",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates staff accounts with "
                "publicly known passwords. If you really want demo content in this database, "
                "run it again with --allow-production."
            )
        counts = load_demo()
        for label, (created, existing) in counts.items():
            self.stdout.write(f"{label}: {created} created, {existing} already there")
        self.stdout.write(self.style.SUCCESS("Demo newsroom ready. Log in at /admin/ as:"))
        for user in USERS:
            self.stdout.write(f"  {user['username']} / {user['password']}  — {user['role']}")
        if not settings.DEBUG:
            self.stdout.write(
                self.style.WARNING(
                    "These passwords are public: change them or deactivate the demo "
                    "accounts before anyone else can reach this site."
                )
            )
