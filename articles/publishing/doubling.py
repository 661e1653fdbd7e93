"""Doubled citations: a claim's sources written in the body as well, where readers
already see the citation Newsroom generates from them ("… shareholder (Sony) (Sony)").

The publish gates refuse such a body (``gates.publish_problems``); the inline-citation
page (``articles.publishing.inline_citations``) takes the words out.
"""

from __future__ import annotations

from dataclasses import dataclass

from articles.models import Article
from sources.citations import citation_text
from sources.inline import Candidate, find, key_of
from sources.text import normalise_text


@dataclass(frozen=True)
class Doubled:
    claim: object  # sources.models.Claim
    text: str  # the citation words still in the body
    position: int  # where they start in the body text


def doubled_citations(article: Article) -> list[Doubled]:
    """Places where the body still carries citation words that a claim renders: its
    generated citation, or inline citation text naming its sources, right by its words.
    Reads the claims and their sources as prefetched (``for_detail``)."""
    claims = [claim for claim in article.claims.all() if claim.attributions.all()]
    if not claims:
        return []
    body_text = article.body_text
    found: list[Doubled] = []
    candidates, names = {}, set()
    for claim in claims:
        for attribution in claim.attributions.all():
            document = attribution.document
            candidates[document.pk] = Candidate(
                document.pk, document.title, document.publisher.name, document.published_on
            )
            names.add(document.publisher.name)
            if attribution.via is not None:
                names.add(attribution.via.name)
    citations = [c for c in find(article.body, list(candidates.values()), names) if c.removable]
    for claim in claims:
        text = normalise_text(claim.text)
        sources = {key_of(a.document.publisher.name) for a in claim.attributions.all()}
        rendered = f"{text} ({citation_text(claim.attributions.all())})"
        if (at := body_text.find(rendered)) >= 0:
            found.append(Doubled(claim, rendered[len(text) + 1 :], at + len(text) + 1))
            continue
        for citation in citations:
            right_after = body_text[: citation.start].rstrip().endswith(text)
            if (citation.claim == text or right_after) and sources & {
                key_of(source.publisher) for source in citation.sources
            }:
                found.append(Doubled(claim, citation.text, citation.start))
                break
    return found


def gate_problems(article: Article) -> list[str]:
    """The publish gate's problems: one per claim whose citation the body doubles."""
    return [
        f"The claim “{d.claim}” still carries the citation “{d.text}” in the body, and readers "
        "already see its sources cited beside it: take those words out of the body."
        for d in doubled_citations(article)
    ]
