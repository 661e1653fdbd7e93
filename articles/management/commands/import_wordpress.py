from pathlib import Path

from django.core.management.base import CommandError

from articles.importers import wordpress
from articles.importers.command import ImportCommand
from articles.importers.common import ImportFileError, Summary
from articles.models import Image


class Command(ImportCommand):
    help = (
        "Import the posts of a WordPress export (WXR file, Tools → Export) as drafts: authors, "
        "categories (the first becomes the section), tags, excerpt and featured image. Safe "
        "to run again: changed posts update their drafts unless edited in Newsroom since."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The WXR (.xml) file.")
        parser.add_argument(
            "--media-dir",
            type=Path,
            help="A copy of the site's wp-content/uploads folder, for featured images.",
        )
        parser.add_argument(
            "--image-source",
            choices=Image.SourceKind.values,
            help="Where those pictures came from (as the image form asks): needed with "
            "--media-dir. A file whose own metadata says AI made it is labelled so anyway.",
        )
        super().add_arguments(parser)

    def handle(self, *args, file: Path, media_dir, image_source, username, dry_run, **options):
        user = self.importer(username)
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"--media-dir {media_dir} is not a directory.")
        if media_dir is not None and not image_source:
            raise CommandError(
                "Say where the pictures in --media-dir came from with --image-source "
                f"({', '.join(Image.SourceKind.values)}): readers are told."
            )
        try:
            export = wordpress.read(file, media_dir=media_dir, image_source=image_source or "")
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        summary = Summary(
            f"WordPress import of {file.name} ({export.site}): {len(export.entries)} post(s)",
            not_imported=export.not_imported,
        )
        self.run(export.entries, summary, user=user, dry_run=dry_run)
