"""What makes a chain of custody valid: the one place its rules live.

An attribution reaches its document through a first intermediary (``via``) and then,
optionally, further hops (``AttributionHop``). The admin, the API and any importer ask
``chain_problems`` before saving a chain; its wording is ``sources.citations``'.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any


def chain_problems(
    *,
    document: Any,
    via: Any,
    via_on: date | None,
    hops: Iterable[tuple[Any, date | None]],
) -> list[str]:
    """Why the chain ``document`` → ``via`` (on ``via_on``) → ``hops`` cannot be saved.

    ``hops`` are ``(publisher, date)`` pairs in order. Empty when the chain is valid:
    hops need a first intermediary; no publisher appears twice in the chain (the
    document's own publisher included: it cannot pass on its own document); no step is
    dated before the document was published.
    """
    hops = list(hops)
    problems = []
    if hops and via is None:
        problems.append(
            "Further intermediaries need a first intermediary: set the attribution's "
            "intermediary (the outlet that passed the source on first)."
        )
    origin = document.publisher if document is not None else None
    seen = {origin.pk} if origin is not None else set()
    if via is not None:
        seen.add(via.pk)
    for publisher, _ in hops:
        if origin is not None and publisher.pk == origin.pk:
            problems.append(
                f"{publisher} published the document itself, so it cannot also pass it on."
            )
        elif publisher.pk in seen:
            problems.append(f"{publisher} appears twice in the chain.")
        seen.add(publisher.pk)
    published = document.published_on if document is not None else None
    if published is not None:
        dated = [(via, via_on)] if via is not None else []
        for publisher, day in [*dated, *hops]:
            if day is not None and day < published:
                problems.append(
                    f"{publisher} cannot have passed it on ({day:%Y-%m-%d}) before the "
                    f"document was published ({published:%Y-%m-%d})."
                )
    return problems


def attribution_chain_problems(attribution: Any, hops: Iterable[Any] | None = None) -> list[str]:
    """``chain_problems`` for a saved or unsaved ``Attribution``, with ``hops``
    (``AttributionHop`` rows; the attribution's saved ones when not given)."""
    if hops is None:
        hops = attribution.hops.all() if attribution.pk else []
    document = attribution.document if attribution.document_id else None
    return chain_problems(
        document=document,
        via=attribution.via if attribution.via_id else None,
        via_on=attribution.via_on,
        hops=[(hop.publisher, hop.on) for hop in hops],
    )
