from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.media import credentials


class Command(BaseCommand):
    help = (
        "Make a development key and certificate for the content credentials (C2PA) signed "
        "into image renditions: a throwaway CA and a certificate it issued to the publisher, "
        "at C2PA_SIGNING_KEY and C2PA_CERTIFICATE (or --key and --certificate), with the CA "
        "beside them as dev-ca.pem. Readers see such credentials as valid but untrusted; "
        "production uses a certificate from a CA on the C2PA trust list. Refuses to replace "
        "a key or certificate unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--key", type=Path, help="Where to write the private key (PEM).")
        parser.add_argument(
            "--certificate", type=Path, help="Where to write the certificate chain (PEM)."
        )
        parser.add_argument("--force", action="store_true", help="Replace an existing pair.")

    def handle(self, *args, key, certificate, force, **options):
        key = key or credentials.key_path()
        certificate = certificate or credentials.certificate_path()
        try:
            anchor = credentials.write_development_pair(key, certificate, force=force)
        except FileExistsError as exc:
            raise CommandError(f"{exc} already exists; pass --force to replace it.") from None
        except OSError as exc:
            raise CommandError(f"Cannot write the pair: {exc}") from None
        signer = credentials.load(key.read_bytes(), certificate.read_bytes()).subject
        self.stdout.write(f"Wrote the private key to {key} (mode 0600).")
        self.stdout.write(f"Wrote the certificate chain to {certificate}, signed for {signer}.")
        self.stdout.write(
            f"Wrote the development CA to {anchor}: trust it to see the credentials as trusted "
            "(for instance c2patool's --trust_anchors). Renditions made from now on carry "
            "credentials signed with this pair."
        )
