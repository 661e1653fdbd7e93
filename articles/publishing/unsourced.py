"""Unsourced statements: sentences of the body that read as factual assertions (a figure,
a date, a quotation, a reporting verb) but that no claim covers (``sources.assertions``).

For an AI-written piece (AI-generated, or an AI agent in the byline) they block its
publication while ``settings.UNSOURCED_STATEMENTS_BLOCK_AI`` is on (the default); for
anyone else's piece, and once a piece is live, they are advice shown to the editor. A
piece already live is held to the AI review gate instead: a human reviews every change.
Making a sentence a claim is an edit of the article (``articles.publishing.claiming``).
"""

from __future__ import annotations

from django.conf import settings

from articles.models import Article
from articles.models.article import AIInvolvement
from sources.assertions import Finding, unsourced_statements

SHOWN_IN_MESSAGE = 3


def is_ai_written(article: Article) -> bool:
    return article.ai_involvement == AIInvolvement.GENERATED or article.has_ai_byline


def blocks(article: Article) -> bool:
    """Whether unsourced statements keep ``article`` from being published."""
    return (
        getattr(settings, "UNSOURCED_STATEMENTS_BLOCK_AI", True)
        and is_ai_written(article)
        and article.status != Article.Status.PUBLISHED
    )


def findings(article: Article) -> list[Finding]:
    """The body's unsourced statements, in body order (the claims as prefetched, if so)."""
    return unsourced_statements(article.body, [claim.text for claim in article.claims.all()])


def summary(found: list[Finding]) -> str:
    count = len(found)
    shown = "; ".join(f"“{_short(f.text)}”" for f in found[:SHOWN_IN_MESSAGE])
    more = f"; and {count - SHOWN_IN_MESSAGE} more" if count > SHOWN_IN_MESSAGE else ""
    noun = "statement" if count == 1 else "statements"
    return f"{count} unsourced {noun}: {shown}{more}"


def gate_problem(article: Article) -> str:
    """The publish gate's problem for ``article``; empty when it passes or does not apply."""
    if not blocks(article) or not (found := findings(article)):
        return ""
    return (
        f"This piece was written by AI, and it has {summary(found)}. Make each a claim and "
        "give it its source, or rewrite it."
    )


def warning(article: Article) -> str:
    """Advice for a piece the gate does not block; empty when there is nothing to say."""
    if blocks(article) or not (found := findings(article)):
        return ""
    return f"Advice, not blocking: {summary(found)}. Consider making them claims with sources."


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
