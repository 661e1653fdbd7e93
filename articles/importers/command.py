"""What the two import commands share: who imports, the run, the summary, the exit status."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.importers import saving
from articles.importers.common import Entry, Progress, Summary


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            metavar="USERNAME",
            help="The staff account the import is done as: named in every revision and audit "
            "event, and its desk is the new drafts' desk. It must be allowed to create articles.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check everything, report what would happen, store nothing.",
        )

    def importer(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not user.is_active:
            raise CommandError(f"No active user is called “{username}” (--as).")
        if not user.has_perm("articles.add_article"):
            raise CommandError(f"{username} may not create articles, so cannot import them.")
        return user

    def run(self, entries: list[Entry], summary: Summary, *, user, dry_run: bool) -> None:
        progress = Progress(self.stderr, len(entries), "Importing")
        saving.run(entries, summary, user=user, dry_run=dry_run, progress=progress)
        for line in summary.lines():
            self.stdout.write(line)
        if not summary.ok:
            raise CommandError(
                f"{len(summary.failed)} item(s) failed and were not imported (listed above)."
            )
