"""Whether a claim is checked: the one rule, read by the workflow, the admin, the site,
the API and the provenance record.

A ``ClaimCheck`` holds for the claim as it was checked: its ``fingerprint`` is the
SHA-256 of the claim's text and of each source in order (document, with what the
citation says of it: its publisher, title, link and date; intermediary, relation, date
at the intermediary, chain of further hops, supporting passage). Once any of these
change, the fingerprint differs and the claim needs checking again (a document is
shared: editing it changes what every claim citing it says); the old checks stay, as
the record of what was checked when.

These functions read the claim's attributions (with their documents), hops and checks
as prefetched (``Claim.objects.with_citations()``): no queries of their own.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sources.models import ClaimCheck


def _hops(attribution) -> list[list[Any]]:
    if attribution.via_id is None:
        return []  # a chain starts at the first intermediary: first-hand sources have none
    hops = sorted(attribution.hops.all(), key=lambda h: (h.position, h.pk))
    return [[h.publisher_id, h.relation, h.on.isoformat() if h.on else None] for h in hops]


def _passage(text: str) -> str:
    # Line breaks and runs of spaces, as pasting makes them, are not a change of words.
    return " ".join(text.split())


def _document(attribution) -> list[Any]:
    document = attribution.document  # loaded with the attribution (select_related)
    published_on = document.published_on.isoformat() if document.published_on else None
    return [document.pk, document.publisher_id, document.title, document.url, published_on]


def fingerprint(claim) -> str:
    """The SHA-256 (hex) of what a check of ``claim`` vouches for."""
    attributions = sorted(claim.attributions.all(), key=lambda a: (a.position, a.pk))
    said = [
        claim.text,
        [
            [
                _document(a),
                a.via_id,
                a.relation,
                a.via_on.isoformat() if a.via_on else None,
                _hops(a),
                _passage(a.passage),
            ]
            for a in attributions
        ],
    ]
    data = json.dumps(said, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def current_check(claim) -> ClaimCheck | None:
    """The newest check of ``claim`` as it reads now (verified or sent back), or None."""
    now = fingerprint(claim)
    matching = [check for check in claim.checks.all() if check.fingerprint == now]
    return max(matching, key=lambda c: (c.checked_at, c.pk), default=None)


def current_verification(claim) -> ClaimCheck | None:
    """The check that verifies ``claim`` as it reads now, or None when it is not verified."""
    check = current_check(claim)
    return check if check is not None and check.verdict == ClaimCheck.Verdict.VERIFIED else None


def has_passage(claim) -> bool:
    """Whether some source of ``claim`` holds the words that support it."""
    return any(a.passage.strip() for a in claim.attributions.all())


def checker_name(check: ClaimCheck) -> str:
    """How readers and partners are told who checked: the person's full name, else login."""
    user = check.checked_by
    return user.get_full_name() or user.get_username()
