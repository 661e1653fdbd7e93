"""``manage.py restore FILE [--replace]``: load a backup and check every table's rows."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database (which must "
        "be empty unless --replace) and the media root, then check every table's row count."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the backup's .tar file")
        parser.add_argument(
            "--replace", action="store_true", help="drop what the database holds first"
        )

    def handle(self, *args, file: Path, replace: bool, **options):
        try:
            manifest = backups.restore(file, replace=replace)
        except (backups.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {file} (made {manifest['created_at']}): {rows} rows in "
                f"{len(manifest['rows'])} tables, media {manifest['media']}."
            )
        )
