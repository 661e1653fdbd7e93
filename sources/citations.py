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

from django.conf import settings
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

# This module sits below the models: it imports none, and Attribution's own
# text comes from here. It speaks the active language (an article's page, card and feed
# items make it the article's): the words are gettext's, the dates the language's
# CITATION_DAY formats (newsroom/formats/).


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
    """``April 10``; with the year when it differs from the reference date's
    (``April 10, 2025``); ``10. April`` in German, ``10 avril`` in French."""
    reference = reference or timezone.localdate()
    name = "CITATION_DAY" if day.year == reference.year else "CITATION_DAY_YEAR"
    if translation.get_language() is None:
        # Translations off (the admin words its change messages so): the default language.
        with translation.override(settings.LANGUAGE_CODE):
            return formats.date_format(day, name)
    return formats.date_format(day, name)


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
            text = gettext("according to %(origin)s as quoted by %(via)s")
        case Relation.DATA_FROM:
            text = gettext("%(origin)s data via %(via)s")
        case _:
            published = attribution.document.published_on
            if published is None:
                text = gettext("%(origin)s via %(via)s")
            else:
                text = gettext("%(origin)s via %(via)s, %(day)s")
                day = short_date(published, reference)
                return text % {"origin": origin, "via": via.name, "day": day}
    return text % {"origin": origin, "via": via.name}


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
            Relation.CARRIED_BY: gettext("Carried by %(via)s"),
            Relation.QUOTED_BY: gettext("As quoted by %(via)s"),
            Relation.DATA_FROM: gettext("Data published by %(via)s"),
        }[a.relation]
        return relation % {"via": a.via.name}


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
