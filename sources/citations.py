"""How a claim's sources read to a reader: the one place that words a citation.

The site, feeds, JSON-LD and API all call these functions; nothing else
re-types a citation. The four shapes a newsroom meets every day:

- one source, first-hand:                 ``Sony``
- two sources for one claim:              ``Sony; Reuters/Yahoo Finance``
- a wire report carried by a portal:      ``Reuters via Yahoo Finance, April 10``
- a quote reported second-hand:           ``according to Bloomberg as quoted by Yahoo Finance``
"""

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from sources.models import Attribution


def short_date(day: date, reference: date | None = None) -> str:
    """``April 10``; with the year when it differs from the reference date's."""
    reference = reference or timezone.localdate()
    text = f"{day:%B} {day.day}"
    return text if day.year == reference.year else f"{text}, {day.year}"


def attribution_text(
    attribution: Attribution, *, compact: bool = False, reference: date | None = None
) -> str:
    """One source as a reader reads it; ``compact`` is the form used inside a list."""
    origin = attribution.document.publisher.name
    via = attribution.via
    if via is None:
        return origin
    if compact:
        return f"{origin}/{via.name}"
    match attribution.relation:
        case Attribution.Relation.QUOTED_BY:
            return f"according to {origin} as quoted by {via.name}"
        case Attribution.Relation.DATA_FROM:
            return f"{origin} data via {via.name}"
        case _:
            published = attribution.document.published_on
            when = f", {short_date(published, reference)}" if published else ""
            return f"{origin} via {via.name}{when}"


def citation_text(attributions: Iterable[Attribution], *, reference: date | None = None) -> str:
    """All of a claim's sources in one line; empty when the claim is unattributed."""
    attributions = list(attributions)
    if len(attributions) == 1:
        return attribution_text(attributions[0], reference=reference)
    return "; ".join(attribution_text(a, compact=True) for a in attributions)
