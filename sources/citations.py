"""How a claim's sources read to a reader: the one place that words a citation.

The site, feeds, JSON-LD and API all call these functions; nothing else
re-types a citation. The four shapes a newsroom meets every day:

- one source, first-hand:                 ``Sony``
- two sources for one claim:              ``Sony; Reuters/Yahoo Finance``
- a wire report carried by a portal:      ``Reuters via Yahoo Finance, April 10``
- a quote reported second-hand:           ``according to Bloomberg as quoted by Yahoo Finance``
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django.db import models
from django.utils import timezone

# This module sits below the models: it imports none, and Attribution's own
# text comes from here.


class Relation(models.TextChoices):
    """How an intermediary passed a source on to us (``Attribution.relation``)."""

    CARRIED_BY = "carried_by", "carried by (e.g. Reuters via Yahoo Finance)"
    QUOTED_BY = "quoted_by", "as quoted by (e.g. Bloomberg as quoted by Yahoo Finance)"
    DATA_FROM = "data_from", "using data from"


class Source(Protocol):
    """What a citation reads from an attribution (``sources.models.Attribution``)."""

    document: Any  # the SourceDocument: .publisher.name, .published_on
    via: Any  # the intermediary Publisher, or None
    relation: str
    document_id: int
    via_id: int | None


def short_date(day: date, reference: date | None = None) -> str:
    """``April 10``; with the year when it differs from the reference date's."""
    reference = reference or timezone.localdate()
    text = f"{day:%B} {day.day}"
    return text if day.year == reference.year else f"{text}, {day.year}"


def attribution_text(
    attribution: Source, *, compact: bool = False, reference: date | None = None
) -> str:
    """One source as a reader reads it; ``compact`` is the form used inside a list."""
    origin = attribution.document.publisher.name
    via = attribution.via
    if via is None:
        return origin
    if compact:
        return f"{origin}/{via.name}"
    match attribution.relation:
        case Relation.QUOTED_BY:
            return f"according to {origin} as quoted by {via.name}"
        case Relation.DATA_FROM:
            return f"{origin} data via {via.name}"
        case _:
            published = attribution.document.published_on
            when = f", {short_date(published, reference)}" if published else ""
            return f"{origin} via {via.name}{when}"


def citation_parts(
    attributions: Iterable[Source], *, reference: date | None = None
) -> list[tuple[str, Source]]:
    """Each source's words in a claim's citation, to be joined with “; ” (or linked one by one)."""
    attributions = list(attributions)
    if len(attributions) == 1:
        return [(attribution_text(attributions[0], reference=reference), attributions[0])]
    return [(attribution_text(a, compact=True), a) for a in attributions]


def citation_text(attributions: Iterable[Source], *, reference: date | None = None) -> str:
    """All of a claim's sources in one line; empty when the claim is unattributed."""
    return "; ".join(text for text, _ in citation_parts(attributions, reference=reference))


@dataclass
class SourceEntry:
    """One numbered line of an article's “Sources” list."""

    number: int
    attribution: Source

    @property
    def document(self):
        return self.attribution.document

    @property
    def intermediary(self) -> str:
        """“Carried by Yahoo Finance”, “As quoted by Yahoo Finance”…, or empty."""
        a = self.attribution
        if a.via is None:
            return ""
        relation = {
            Relation.CARRIED_BY: "Carried by",
            Relation.QUOTED_BY: "As quoted by",
            Relation.DATA_FROM: "Data published by",
        }[a.relation]
        return f"{relation} {a.via.name}"


@dataclass
class CitedClaim:
    claim: Any  # the sources.models.Claim
    parts: list[tuple[str, int]]  # (words, source number)

    @property
    def text(self) -> str:
        return "; ".join(words for words, _ in self.parts)


def cite(claims: Iterable[Any], *, reference: date | None = None):
    """Claims with their citation words, and the numbered sources they point to.

    A source cited by several claims (same document through the same
    intermediary) gets one number.
    """
    numbers: dict[tuple[int, int | None], SourceEntry] = {}
    cited = []
    for claim in claims:
        parts = []
        for words, attribution in citation_parts(claim.attributions.all(), reference=reference):
            key = (attribution.document_id, attribution.via_id)
            if key not in numbers:
                numbers[key] = SourceEntry(len(numbers) + 1, attribution)
            parts.append((words, numbers[key].number))
        cited.append(CitedClaim(claim, parts))
    return cited, list(numbers.values())
