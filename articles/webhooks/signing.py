"""Webhook secrets and signatures, in two forms on every delivery:

- **Standard Webhooks** (https://www.standardwebhooks.com/): ``webhook-id``,
  ``webhook-timestamp`` and ``webhook-signature: v1,<base64 HMAC-SHA256>`` over
  ``<id>.<timestamp>.<raw body>``, keyed with the secret's bytes. Secrets are
  ``whsec_<base64 of 32 random bytes>``, so partners verify with the
  ``standardwebhooks`` library in any language, unchanged.
- **Ours, deprecated**: ``Newsroom-Signature: t=<unix seconds>,v1=<hex>``, an
  HMAC-SHA256 keyed with the secret as text over ``<timestamp>.<raw body>``; sent
  until ``LEGACY_HEADERS_UNTIL`` for receivers written against it.

A secret made before the standard (random text without the prefix) keeps working:
its standard form is ``whsec_`` and the base64 of its text (``standard_secret``), which
the admin shows; the signatures are the same either way.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time

SIGNATURE_TOLERANCE_SECONDS = 300
PREFIX = "whsec_"
# The Newsroom-* headers are sent until then, and documented as deprecated meanwhile.
LEGACY_HEADERS_UNTIL = "2027-06-30"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def key_of(secret: str) -> bytes:
    """The HMAC key the standard signature uses: the decoded bytes of a ``whsec_``
    secret, or the text of one made before the standard."""
    if secret.startswith(PREFIX):
        try:
            return base64.b64decode(secret.removeprefix(PREFIX), validate=True)
        except binascii.Error:
            pass
    return secret.encode()


def standard_secret(secret: str) -> str:
    """``secret`` as the ``standardwebhooks`` library takes it."""
    if secret.startswith(PREFIX) and key_of(secret) != secret.encode():
        return secret
    return PREFIX + base64.b64encode(secret.encode()).decode()


def standard_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict:
    """The Standard Webhooks headers of one attempt."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    mac = hmac.new(key_of(secret), signed, hashlib.sha256).digest()
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": f"v1,{base64.b64encode(mac).decode()}",
    }


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The deprecated ``Newsroom-Signature`` header: ``t=<unix seconds>,v1=<hex HMAC-SHA256>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify_signature(
    secret: str, header: str, body: bytes | str, tolerance: int = SIGNATURE_TOLERANCE_SECONDS
) -> bool:
    """For receivers: is ``header`` our signature of ``body``, made at most ``tolerance``
    seconds ago? The timestamp is signed too, so an old request cannot be replayed."""
    if isinstance(body, str):
        body = body.encode()
    timestamp, signatures = None, []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1":
            signatures.append(value)
    if timestamp is None or abs(time.time() - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).rpartition("v1=")[2]
    return any(hmac.compare_digest(expected, signature) for signature in signatures)
