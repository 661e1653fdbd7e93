"""The newsroom's provenance signing key (Ed25519, from the ``cryptography`` package) and
the canonical form of what it signs.

The private key is a PEM file (PKCS#8, unencrypted) at ``PROVENANCE_SIGNING_KEY`` (a
setting or an environment variable; default ``var/provenance/ed25519.pem``). In
development a missing key is made on first use, with a warning; in production
(``PRODUCTION``) it never is: the key must be provisioned (``manage.py provenance_keys``)
and kept, since every record it signed names it. Public keys of retired signing keys stay
published (``PROVENANCE_PUBLIC_KEYS``, PEM files) so the records they signed still verify.

The canonical form of a record: JSON with keys sorted at every level, no whitespace
(separators ``,`` and ``:``), non-ASCII characters as themselves, encoded as UTF-8;
only strings, integers, ``null``, lists and objects (no floats). The signature is
Ed25519 over those bytes, sent as standard base64.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

ALGORITHM = "Ed25519"


class KeyProblem(ImproperlyConfigured):
    """The signing key is missing or unreadable."""


def key_path() -> Path:
    """The setting, else the environment variable of that name (settings.py has no line
    for it yet), else ``var/provenance/ed25519.pem``."""
    default = os.environ.get("PROVENANCE_SIGNING_KEY") or (
        settings.BASE_DIR / "var" / "provenance" / "ed25519.pem"
    )
    return Path(getattr(settings, "PROVENANCE_SIGNING_KEY", default))


def retired_key_paths() -> list[str]:
    """Public PEM files of retired keys: the setting (a list), else the environment
    variable (comma-separated)."""
    from_env = [p.strip() for p in os.environ.get("PROVENANCE_PUBLIC_KEYS", "").split(",")]
    return list(getattr(settings, "PROVENANCE_PUBLIC_KEYS", [p for p in from_env if p]))


# -- canonical form and signatures ------------------------------------------------------


def canonical(record: dict) -> bytes:
    """The exact bytes that are signed (see the module's docstring)."""
    return json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sign(record: dict, private_key: Ed25519PrivateKey) -> str:
    return base64.b64encode(private_key.sign(canonical(record))).decode("ascii")


def verify(record: dict, signature: str, public_key: Ed25519PublicKey) -> bool:
    """Whether ``signature`` (base64) is ``public_key``'s over ``record``'s canonical form."""
    try:
        raw = base64.b64decode(signature, validate=True)
        public_key.verify(raw, canonical(record))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


# -- keys ------------------------------------------------------------------------------


def raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey) -> str:
    """The first 16 hex digits of the SHA-256 of the raw 32-byte public key."""
    return hashlib.sha256(raw_public(public_key)).hexdigest()[:16]


def jwk(public_key: Ed25519PublicKey) -> dict:
    """The public key as a JSON Web Key (RFC 8037: OKP, Ed25519)."""
    x = base64.urlsafe_b64encode(raw_public(public_key)).rstrip(b"=").decode("ascii")
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": x,
        "kid": key_id(public_key),
        "alg": "EdDSA",
        "use": "sig",
    }


def public_key_from_jwk(data: dict) -> Ed25519PublicKey:
    """Raises ValueError for anything but an Ed25519 OKP key."""
    if not isinstance(data, dict) or data.get("kty") != "OKP" or data.get("crv") != "Ed25519":
        raise ValueError("not an Ed25519 JSON Web Key")
    x = str(data.get("x", ""))
    raw = base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
    return Ed25519PublicKey.from_public_bytes(raw)


def public_key_from_pem(data: bytes) -> Ed25519PublicKey:
    """A public key from a PEM file holding either half of the pair; ValueError otherwise."""
    if b"PRIVATE KEY" in data:
        key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 key")
        return key.public_key()
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 key")
    return key


def write_key_file(path: Path, *, force: bool = False) -> Ed25519PrivateKey:
    """Make a new private key at ``path`` (mode 0600); FileExistsError unless ``force``."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    with os.fdopen(os.open(path, flags, 0o600), "wb") as handle:
        handle.write(pem)
    return key


_loaded: dict[tuple[str, int], Ed25519PrivateKey] = {}


def private_key(*, create: bool = True) -> Ed25519PrivateKey:
    """The signing key. Missing: made on first use in development (``create``), refused
    with ``KeyProblem`` in production."""
    path = key_path()
    if not path.exists():
        if settings.PRODUCTION or not create:
            raise KeyProblem(
                f"No provenance signing key at {path}. Make one with `manage.py "
                "provenance_keys` (or set PROVENANCE_SIGNING_KEY to the provisioned key)."
            )
        logger.warning("No provenance signing key at %s: making a development key.", path)
        try:
            return write_key_file(path)
        except FileExistsError:
            pass  # another process made it meanwhile: read theirs
    stamp = (str(path), path.stat().st_mtime_ns)
    if stamp not in _loaded:
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError, TypeError) as exc:
            raise KeyProblem(f"Cannot read the provenance signing key at {path}: {exc}") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyProblem(f"The provenance signing key at {path} is not an Ed25519 key.")
        _loaded[stamp] = key
    return _loaded[stamp]


def public_keys() -> list[Ed25519PublicKey]:
    """Every key records may be signed with: the current one, then retired ones."""
    keys = [private_key().public_key()]
    for extra in retired_key_paths():
        try:
            keys.append(public_key_from_pem(Path(extra).read_bytes()))
        except (OSError, ValueError) as exc:
            logger.error("Cannot read the retired provenance key %s: %s", extra, exc)
    unique: dict[str, Ed25519PublicKey] = {}
    for key in keys:
        unique.setdefault(key_id(key), key)
    return list(unique.values())
