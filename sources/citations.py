"""How a claim's sources read to a reader: the one place that words a citation.

The site, feeds, JSON-LD and API all call these functions; nothing else
re-types a citation. The four shapes a newsroom meets every day:

- one source, first-hand:                 ``Sony``
- two sources for one claim:              ``Sony; Reuters/Yahoo Finance``
- a wire report carried by a portal:      ``Reuters via Yahoo Finance, April 10``
- a quote reported second-hand:           ``according to Bloomberg as quoted by Yahoo Finance``

and a chain of custody, when a source passed through more than one intermediary:
``according to Bloomberg as cited by Reuters, as carried by Yahoo Finance`` (in a list of
sources ``Bloomberg/Reuters/Yahoo Finance``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django.conf import settings
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
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
    via_url: str
    via_on: date | None
    hops: Any  # the further intermediaries (AttributionHop), read in order


@dataclass(frozen=True)
class Link:
    """One step of a chain of custody: who passed the source on, how, where and when."""

    publisher: Any  # a Publisher: .name, .pk
    relation: str
    url: str
    on: date | None


def chain(attribution: Source) -> list[Link]:
    """The intermediaries between the document and us, in order: the first (``via``),
    then the hops. Empty when the source is first-hand; hops count only after a ``via``."""
    via = attribution.via
    if via is None:
        return []
    first = Link(
        via, attribution.relation, attribution.via_url, getattr(attribution, "via_on", None)
    )
    if getattr(attribution, "pk", None) is None:
        return [first]  # an unsaved attribution (a proposal) has no hops yet
    return [first, *(Link(h.publisher, h.relation, h.url, h.on) for h in attribution.hops.all())]


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
    links = chain(attribution)
    if not links:
        return origin
    if compact:
        return "/".join([origin, *(link.publisher.name for link in links)])
    if len(links) > 1:
        return _chain_text(origin, links)
    via = attribution.via
    match attribution.relation:
        case Relation.QUOTED_BY:
            text = gettext("according to %(origin)s as quoted by %(via)s")
        case Relation.DATA_FROM:
            text = gettext("%(origin)s data via %(via)s")
        case _:
            # The day the portal carried it, if we know it; the document's own otherwise.
            published = links[0].on or attribution.document.published_on
            if published is None:
                text = gettext("%(origin)s via %(via)s")
            else:
                text = gettext("%(origin)s via %(via)s, %(day)s")
                day = short_date(published, reference)
                return text % {"origin": origin, "via": via.name, "day": day}
    return text % {"origin": origin, "via": via.name}


def _chain_text(origin: str, links: list[Link]) -> str:
    """“according to Bloomberg as cited by Reuters, as carried by Yahoo Finance”."""
    first, *rest = links
    head = {
        Relation.QUOTED_BY: gettext("according to %(origin)s as cited by %(via)s"),
        Relation.CARRIED_BY: gettext("according to %(origin)s as carried by %(via)s"),
        Relation.DATA_FROM: gettext("according to %(origin)s data published by %(via)s"),
    }.get(first.relation, gettext("according to %(origin)s as carried by %(via)s"))
    text = head % {"origin": origin, "via": first.publisher.name}
    for link in rest:
        step = {
            Relation.QUOTED_BY: gettext("%(chain)s, as cited by %(via)s"),
            Relation.CARRIED_BY: gettext("%(chain)s, as carried by %(via)s"),
            Relation.DATA_FROM: gettext("%(chain)s, in data published by %(via)s"),
        }.get(link.relation, gettext("%(chain)s, as carried by %(via)s"))
        text = step % {"chain": text, "via": link.publisher.name}
    return text


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
    reference: date | None = None

    @property
    def document(self):
        return self.attribution.document

    @property
    def chain(self) -> list[Link]:
        return chain(self.attribution)

    @property
    def is_chain(self) -> bool:
        """More than one intermediary: the Sources list shows each, linked and dated."""
        return len(self.chain) > 1

    @property
    def intermediary(self) -> str:
        """“Carried by Yahoo Finance”, “As quoted by Yahoo Finance”…, or empty; for a
        chain “As quoted by Reuters (May 8), carried by Yahoo Finance (May 9)”."""
        steps = []
        for i, link in enumerate(self.chain):
            words = _step_words(link.relation, first=i == 0) % {"via": link.publisher.name}
            if link.on:
                words = f"{words} ({short_date(link.on, self.reference)})"
            steps.append(words)
        return ", ".join(steps)

    @property
    def intermediary_html(self) -> SafeString:
        """The same words with each intermediary linked to where it carried the source,
        and each date marked up as a ``<time>``."""
        steps = []
        for i, link in enumerate(self.chain):
            name = (
                format_html('<a href="{}">{}</a>', link.url, link.publisher.name)
                if link.url
                else conditional_escape(link.publisher.name)
            )
            words = conditional_escape(_step_words(link.relation, first=i == 0)) % {"via": name}
            if link.on:
                day = short_date(link.on, self.reference)
                words += format_html(' (<time datetime="{}">{}</time>)', link.on.isoformat(), day)
            steps.append(words)
        # Each step is escaped above: its words, the name, the link and the date.
        return mark_safe(", ".join(steps))  # noqa: S308 # nosec B308 B703


def link_text(link: Link) -> str:
    """One link of a chain on its own: “As quoted by Reuters”, “Carried by Yahoo Finance”."""
    return _step_words(link.relation, first=True) % {"via": link.publisher.name}


def _step_words(relation: str, *, first: bool) -> str:
    """One step of the Sources list's intermediary line, around ``%(via)s``."""
    if first:
        words = {
            Relation.CARRIED_BY: gettext("Carried by %(via)s"),
            Relation.QUOTED_BY: gettext("As quoted by %(via)s"),
            Relation.DATA_FROM: gettext("Data published by %(via)s"),
        }
    else:
        words = {
            Relation.CARRIED_BY: gettext("carried by %(via)s"),
            Relation.QUOTED_BY: gettext("quoted by %(via)s"),
            Relation.DATA_FROM: gettext("data published by %(via)s"),
        }
    return words.get(relation, words[Relation.CARRIED_BY])


@dataclass
class CitedClaim:
    claim: Any  # the sources.models.Claim
    parts: list[tuple[str, int]]  # (words, source number)

    @property
    def text(self) -> str:
        return "; ".join(words for words, _ in self.parts)


def cite(claims: Iterable[Any], *, reference: date | None = None):
    """Claims with their citation words, and the numbered sources they point to.

    A source cited by several claims (same document through the same chain of
    intermediaries) gets one number.
    """
    numbers: dict[tuple, SourceEntry] = {}
    cited = []
    for claim in claims:
        parts = []
        for words, attribution in citation_parts(claim.attributions.all(), reference=reference):
            key = (attribution.document_id, *(link.publisher.pk for link in chain(attribution)))
            if key not in numbers:
                numbers[key] = SourceEntry(len(numbers) + 1, attribution, reference)
            parts.append((words, numbers[key].number))
        cited.append(CitedClaim(claim, parts))
    return cited, list(numbers.values())
