"""Content credentials: a C2PA manifest signed into every rendition (``c2pa-python``).

Each rendition carries a manifest saying who publishes it (the signer: the certificate's
subject), how the picture came to be (a ``c2pa.created`` action with the image's IPTC
digital source type: ``trainedAlgorithmicMedia`` for AI-generated images, else
``digitalCapture``), that the newsroom cropped, resized and published it, and the credit
and copyright lines (a schema.org CreativeWork). Anyone can read it back: c2patool,
contentcredentials.org/verify, or ``c2pa.Reader`` as the tests do.

Keys: a private key and its certificate chain (the signing certificate first, then any
intermediates, not the root), both PEM files, at
``C2PA_SIGNING_KEY`` and ``C2PA_CERTIFICATE`` (settings or environment variables; default
``var/c2pa/signing-key.pem`` and ``var/c2pa/certificate.pem``), and optionally an RFC 3161
timestamp authority at ``C2PA_TIMESTAMP_URL``. The algorithm follows the key: ES256/384/512
for EC P-256/384/521, PS256 for RSA, Ed25519. In development a missing pair is made on
first use (a development CA and a certificate it issued, as ``manage.py
c2pa_dev_certificate`` makes); in production it never is: renditions are stored without
credentials and a warning is logged, once per process. Signing never fails a rendition.
"""

from __future__ import annotations

import datetime
import fcntl
import io
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import c2pa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

from articles.media.pixels import FORMATS
from articles.models import Image

logger = logging.getLogger(__name__)

CLAIM_GENERATOR = "Newsroom"
DEV_CA_NAME = "dev-ca.pem"  # beside the development certificate: the anchor readers may trust
DEV_CERTIFICATE_DAYS = 2 * 365

_CURVES = {
    "secp256r1": c2pa.C2paSigningAlg.ES256,
    "secp384r1": c2pa.C2paSigningAlg.ES384,
    "secp521r1": c2pa.C2paSigningAlg.ES512,
}


class CredentialsProblem(Exception):
    """The signing key or certificate is missing, unreadable or does not fit."""


@dataclass(frozen=True)
class Identity:
    """What signs: the algorithm, the certificate chain (PEM, leaf first) and the key (PEM)."""

    algorithm: c2pa.C2paSigningAlg
    chain: bytes
    key: bytes
    subject: str  # the leaf's organisation (else common name): who readers see as signer
    timestamp_url: str | None
    expires: datetime.datetime


def _setting(name: str, default: str | Path | None) -> str | None:
    """The setting, else the environment variable of that name (settings.py has no line
    for it), else ``default``."""
    value = getattr(settings, name, None) or os.environ.get(name) or default
    return str(value) if value else None


def key_path() -> Path:
    return Path(_setting("C2PA_SIGNING_KEY", settings.BASE_DIR / "var/c2pa/signing-key.pem"))


def certificate_path() -> Path:
    return Path(_setting("C2PA_CERTIFICATE", settings.BASE_DIR / "var/c2pa/certificate.pem"))


def timestamp_url() -> str | None:
    return _setting("C2PA_TIMESTAMP_URL", None)


# -- signing ---------------------------------------------------------------------------


def embed(image: Image, fmt: str, data: bytes, *, cropped: bool) -> bytes:
    """``data`` (a rendition encoded as ``fmt``) with content credentials signed into it.

    Without a usable key (see the module's docstring) or when signing fails, ``data`` as
    it was: a rendition without credentials beats no rendition."""
    try:
        signer_identity = identity()
    except (CredentialsProblem, OSError) as exc:  # OSError: var/c2pa not writable
        _warn_once(str(exc))
        return data
    mime = FORMATS[fmt].mime
    try:
        signer = c2pa.Signer.from_info(
            c2pa.C2paSignerInfo(
                signer_identity.algorithm,
                signer_identity.chain,
                signer_identity.key,
                signer_identity.timestamp_url,
            )
        )
        builder = c2pa.Builder(manifest(image, cropped=cropped), _context())
        signed = io.BytesIO()
        builder.sign(signer, mime, io.BytesIO(data), signed)
    except c2pa.C2paError:
        logger.exception("Cannot sign content credentials into a rendition of image %s", image.pk)
        return data
    return signed.getvalue()


def manifest(image: Image, *, cropped: bool) -> dict:
    """The manifest definition for a rendition of ``image``."""
    actions = [{"action": "c2pa.created", "digitalSourceType": image.digital_source_type}]
    if cropped:
        actions.append({"action": "c2pa.cropped"})
    actions += [{"action": "c2pa.resized"}, {"action": "c2pa.published"}]
    publisher = settings.PUBLISHER
    work = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "publisher": {
            "@type": "Organization",
            "name": publisher.get("legal_name") or settings.SITE_NAME,
            "url": settings.SITE_URL,
        },
    }
    if image.credit:
        work["creditText"] = image.credit
    if image.copyright:
        work["copyrightNotice"] = image.copyright
    return {
        "claim_generator_info": [{"name": CLAIM_GENERATOR}],
        "assertions": [
            {"label": "c2pa.actions", "data": {"actions": actions}},
            {"label": "stds.schema-org.CreativeWork", "data": work},
        ],
    }


def _context() -> c2pa.Context:
    # No thumbnail in the manifest: it would add a second, often larger, copy of the picture.
    return c2pa.Context(c2pa.Settings.from_dict({"builder": {"thumbnail": {"enabled": False}}}))


_warned: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        logger.warning("Renditions are stored without content credentials: %s", message)


# -- keys ------------------------------------------------------------------------------

_loaded: dict[tuple, Identity] = {}


def identity(*, create: bool = True) -> Identity:
    """The signing identity. Missing: made on first use in development (``create``),
    refused with ``CredentialsProblem`` in production."""
    key_file, cert_file = key_path(), certificate_path()
    if not (key_file.exists() and cert_file.exists()):
        if settings.PRODUCTION or not create:
            raise CredentialsProblem(
                f"no C2PA signing key and certificate at {key_file} and {cert_file}. Set "
                "C2PA_SIGNING_KEY and C2PA_CERTIFICATE to the publisher's (or make a "
                "development pair with `manage.py c2pa_dev_certificate`)."
            )
        _make_development_pair(key_file, cert_file)
    try:
        stamp = (str(key_file), key_file.stat().st_mtime_ns, str(cert_file))
        stamp += (cert_file.stat().st_mtime_ns, timestamp_url())
    except OSError as exc:
        raise CredentialsProblem(f"cannot read the C2PA key or certificate: {exc}") from exc
    if stamp not in _loaded:
        _loaded[stamp] = load(key_file.read_bytes(), cert_file.read_bytes(), timestamp_url())
    if _loaded[stamp].expires <= datetime.datetime.now(datetime.UTC):
        raise CredentialsProblem(f"the C2PA certificate at {cert_file} has expired")
    return _loaded[stamp]


def load(key_pem: bytes, chain_pem: bytes, tsa_url: str | None = None) -> Identity:
    """An identity from PEM bytes; ``CredentialsProblem`` unless the key fits the chain's
    first certificate and has an algorithm C2PA signs with."""
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
        chain = x509.load_pem_x509_certificates(chain_pem)
    except (ValueError, TypeError) as exc:
        raise CredentialsProblem(f"cannot read the C2PA key or certificate: {exc}") from exc
    if not chain or _public(chain[0].public_key()) != _public(key.public_key()):
        raise CredentialsProblem("the C2PA certificate's first entry is not the signing key's")
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name in _CURVES:
        algorithm = _CURVES[key.curve.name]
    elif isinstance(key, rsa.RSAPrivateKey):
        algorithm = c2pa.C2paSigningAlg.PS256
    elif isinstance(key, ed25519.Ed25519PrivateKey):
        algorithm = c2pa.C2paSigningAlg.ED25519
    else:
        raise CredentialsProblem("the C2PA signing key is not EC P-256/384/521, RSA or Ed25519")
    subject = chain[0].subject
    names = subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME) or (
        subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    )
    pem = b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in chain)
    unencrypted = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return Identity(
        algorithm,
        pem,
        unencrypted,
        str(names[0].value) if names else "",
        tsa_url or None,
        chain[0].not_valid_after_utc,
    )


def _public(key) -> bytes:
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _make_development_pair(key_file: Path, cert_file: Path) -> None:
    key_file.parent.mkdir(parents=True, exist_ok=True)
    # Workers and test processes may all start at once: one makes the pair, the rest wait.
    with open(key_file.parent / ".c2pa.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (key_file.exists() and cert_file.exists()):
            logger.warning("No C2PA signing key at %s: making a development pair.", key_file)
            write_development_pair(key_file, cert_file, force=True)


def write_development_pair(key_file: Path, cert_file: Path, *, force: bool = False) -> Path:
    """Make a development CA and an EC P-256 signing certificate it issued to the publisher:
    the key at ``key_file`` (mode 0600), the certificate at ``cert_file`` and the CA beside
    it (``dev-ca.pem``, returned), for readers to trust. Like a real chain, the signed one
    leaves the root out: readers hold their own trust anchors. The CA's own key is thrown
    away. FileExistsError unless ``force``."""
    if not force and (key_file.exists() or cert_file.exists()):
        raise FileExistsError(key_file if key_file.exists() else cert_file)
    publisher = settings.PUBLISHER.get("legal_name") or settings.SITE_NAME
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"{settings.SITE_NAME} development CA", publisher)
    ca = _certificate(ca_name, ca_name, ca_key.public_key(), ca_key, now, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    leaf_name = _name(f"{settings.SITE_NAME} content credentials (development)", publisher)
    leaf = _certificate(leaf_name, ca_name, key.public_key(), ca_key, now, ca=False)
    pem = serialization.Encoding.PEM
    key_file.parent.mkdir(parents=True, exist_ok=True)
    cert_file.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    with os.fdopen(os.open(key_file, flags, 0o600), "wb") as handle:
        handle.write(
            key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )
    cert_file.write_bytes(leaf.public_bytes(pem))
    anchor = cert_file.parent / DEV_CA_NAME
    anchor.write_bytes(ca.public_bytes(pem))
    return anchor


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
        ]
    )


def _certificate(subject, issuer, public_key, signing_key, now, *, ca: bool) -> x509.Certificate:
    # C2PA refuses a self-signed signing certificate: the leaf needs a CA above it, the
    # digitalSignature key usage and an extended key usage C2PA accepts (emailProtection).
    usage = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    usage.update({"key_cert_sign": True, "crl_sign": True} if ca else {"digital_signature": True})
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=DEV_CERTIFICATE_DAYS + (365 if ca else 0)))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        ).add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()),
            critical=False,
        )
    return builder.sign(signing_key, hashes.SHA256())
