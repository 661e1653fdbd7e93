"""``manage.py backup [--output DIR]``: the database and the uploads in one file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsroom import backups


class Command(BaseCommand):
    help = "Back up the database and the uploaded media into one .tar file (see newsroom.backups)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "var" / "backups",
            help="directory for the backup file (var/backups)",
        )

    def handle(self, *args, output: Path, **options):
        try:
            path = backups.backup(output)
        except (backups.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backed up to {path}"))
