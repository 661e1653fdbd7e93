"""Webhook secrets and signatures: ``Newsroom-Signature: t=<unix seconds>,v1=<hex>``,
an HMAC-SHA256 keyed with the endpoint's secret over ``<timestamp>.<raw body>``."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SIGNATURE_TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Newsroom-Signature`` header: ``t=<unix seconds>,v1=<hex HMAC-SHA256>``."""
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
