from pathlib import Path

from django.core.management.base import CommandError

from articles.importers import ninjs
from articles.importers.command import ImportCommand
from articles.importers.common import ImportFileError, Summary


class Command(ImportCommand):
    help = (
        "Import agency copy in IPTC ninjs (a file with one item or a list of them, or a "
        "directory of .json files) as drafts, bylined and sourced to the agency. Safe to run "
        "again: a new version of an item updates its draft unless edited in Newsroom since."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A .json file or a directory of them.")
        parser.add_argument(
            "--agency",
            default="",
            help="The agency's name (“Reuters”), when the items do not carry it in "
            "copyrightholder / copyrightHolder / infoSources.",
        )
        super().add_arguments(parser)

    def handle(self, *args, path: Path, agency: str, username: str, dry_run: bool, **options):
        user = self.importer(username)
        try:
            entries = ninjs.read(path, agency=agency.strip())
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        summary = Summary(f"ninjs import of {path.name}: {len(entries)} item(s)")
        self.run(entries, summary, user=user, dry_run=dry_run)
