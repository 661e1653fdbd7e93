"""Webhook signatures: only a fresh signature of the same body, with the same secret,
verifies."""

import time

import pytest

from articles.webhooks import signing

pytestmark = pytest.mark.django_db


def test_verify_signature_accepts_only_a_fresh_signature_of_the_same_body():
    secret, body = "s3cret", b'{"event":"article.published"}'
    now = int(time.time())
    good = signing.sign(secret, now, body)
    assert signing.verify_signature(secret, good, body)
    assert signing.verify_signature(secret, good, body.decode())
    assert not signing.verify_signature("other-secret", good, body)
    assert not signing.verify_signature(secret, good, body + b" ")
    # Old (replayed) or future-dated signatures are refused, even when genuine.
    assert not signing.verify_signature(secret, signing.sign(secret, now - 301, body), body)
    assert not signing.verify_signature(secret, signing.sign(secret, now + 301, body), body)
    assert signing.verify_signature(secret, signing.sign(secret, now - 3600, body), body, 7200)
    # A tampered timestamp breaks the signature.
    forged = good.replace(f"t={now}", f"t={now - 1}")
    assert not signing.verify_signature(secret, forged, body)
    for garbage in ["", "t=,v1=", "v1=abc", f"t={now}", "nonsense"]:
        assert not signing.verify_signature(secret, garbage, body)
