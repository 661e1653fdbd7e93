import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.publishing import signing


class Command(BaseCommand):
    help = (
        "Make the Ed25519 key pair that signs provenance records, at PROVENANCE_SIGNING_KEY "
        "(or --path), and print its public key. Refuses to replace a key unless --force: "
        "records already signed keep naming the old key, so publish its public half "
        "(PROVENANCE_PUBLIC_KEYS) before you replace it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, help="Where to write the private key (PEM).")
        parser.add_argument("--force", action="store_true", help="Replace an existing key.")

    def handle(self, *args, path, force, **options):
        path = path or signing.key_path()
        try:
            key = signing.write_key_file(path, force=force)
        except FileExistsError:
            raise CommandError(
                f"A key already exists at {path}; pass --force to replace it."
            ) from None
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc}") from None
        public = key.public_key()
        self.stdout.write(f"Wrote the private key to {path} (keep it secret, keep it backed up).")
        self.stdout.write(f"Key id: {signing.key_id(public)}")
        self.stdout.write(json.dumps(signing.jwk(public)))
