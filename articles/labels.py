"""The fixed public wording of sponsorship labels and AI disclosures.

Every output (site, feeds, social cards, JSON-LD, API) takes its wording from
here; no template or serializer types a label of its own. The vocabulary is
keyed to the *kind* of sponsorship and follows the FTC's native-advertising
guidance: content a sponsor paid for and shaped is called advertising, never
"Promoted" or "Sponsored by"; funding without a say is "Supported by".
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db import models
from django.utils import timezone

# This module sits below the models: it imports nothing from the app, and the
# models call it (Sponsorship.label, Author.description, Image.reader_label).


class SponsorshipKind(models.TextChoices):
    """The two kinds of sponsorship; each has its own fixed label below."""

    NATIVE_ADVERTISING = (
        "native_advertising",
        "Native advertising: the sponsor paid for, wrote, commissioned or influenced it",
    )
    UNDERWRITING = (
        "underwriting",
        "Underwriting: the sponsor funded the coverage and had no say in it",
    )


class Piece(Protocol):
    """What the byline and title wording reads from an article (``articles.models.Article``)."""

    headline: str
    ai_involvement: str
    byline_list: list[Any]  # Byline rows in order, each with .author and .get_role_display()
    has_ai_byline: bool
    latest_review: Any  # the newest HumanReview, or None
    sponsorship_or_none: Any  # the Sponsorship, or None


# One term for native advertising across the whole site (FTC: use the same terms everywhere).
NATIVE_ADVERTISING_LABEL = "Sponsored Advertising Content"
UNDERWRITING_LABEL = "Supported by {sponsor}"
NATIVE_ADVERTISING_SPONSOR_LINE = "Paid for by {sponsor}"
UNDERWRITING_DISCLAIMER = (
    "{sponsor} funded this coverage and had no role in choosing, reporting, writing or editing it."
)
NATIVE_ADVERTISING_DEFAULT_DISCLOSURE = (
    "This content was paid for by {sponsor} and produced for it by our commercial desk. "
    "Our newsroom's journalists were not involved in it."
)

AI_AGENT_DESCRIPTION = "an AI agent operated by {operator}"
# Shown with every picture a generative AI made (Image.reader_label), wherever it appears.
AI_GENERATED_IMAGE_LABEL = "AI-generated image"


def vocabulary(sponsor: str = "[sponsor]") -> dict[str, str]:
    """Every label and line in its fixed wording, for the “About our labels” page."""
    return {
        "native_label": NATIVE_ADVERTISING_LABEL,
        "native_sponsor_line": NATIVE_ADVERTISING_SPONSOR_LINE.format(sponsor=sponsor),
        "underwriting_label": UNDERWRITING_LABEL.format(sponsor=sponsor),
        "underwriting_disclaimer": UNDERWRITING_DISCLAIMER.format(sponsor=sponsor),
    }


def sponsorship_label(kind: str, sponsor: str) -> str:
    """The label shown above the headline and on every teaser."""
    if kind == SponsorshipKind.NATIVE_ADVERTISING:
        return NATIVE_ADVERTISING_LABEL
    return UNDERWRITING_LABEL.format(sponsor=sponsor)


def sponsorship_sponsor_line(kind: str, sponsor: str) -> str:
    """Who paid, and (for underwriting) that they had no say."""
    if kind == SponsorshipKind.NATIVE_ADVERTISING:
        return NATIVE_ADVERTISING_SPONSOR_LINE.format(sponsor=sponsor)
    return UNDERWRITING_DISCLAIMER.format(sponsor=sponsor)


def sponsorship_full_label(kind: str, sponsor: str) -> str:
    """Label and sponsor in one phrase, for titles, feeds and cards."""
    if kind == SponsorshipKind.NATIVE_ADVERTISING:
        return f"{NATIVE_ADVERTISING_LABEL} paid for by {sponsor}"
    return sponsorship_label(kind, sponsor)


def ai_agent_description(operator: str) -> str:
    """What an AI-agent author is, in the words every byline uses."""
    return AI_AGENT_DESCRIPTION.format(operator=operator)


def byline_groups(article: Piece) -> list[tuple[str, list[Any]]]:
    """Bylines grouped by role in first-appearance order: [("By", [a, b]), ("Research by", [c])]."""
    groups: dict[str, list[Any]] = {}
    for byline in article.byline_list:
        groups.setdefault(byline.get_role_display(), []).append(byline.author)
    return list(groups.items())


def _names(authors: list[Any]) -> str:
    names = [
        f"{a.name}, {ai_agent_description(a.operator)}" if a.is_ai_agent else a.name
        for a in authors
    ]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def reviewed_by(article: Piece) -> str:
    """“reviewed by Maria Okafor on 3 December 2026” for a piece with an AI-agent byline
    (the review of the version readers see: a live piece changes only with a new one);
    empty for other pieces."""
    if not article.has_ai_byline:
        return ""
    review = article.latest_review
    if review is None:
        return "not yet reviewed by a human editor"
    day = timezone.localtime(review.reviewed_at)
    return f"reviewed by {review.reviewer_name} on {day.day} {day:%B %Y}"


def byline_text(article: Piece) -> str:
    """The byline in words, e.g. “By Sift, an AI agent operated by Newsroom Media Ltd;
    reviewed by Maria Okafor” — for feeds, cards and the API."""
    parts = [f"{role} {_names(authors)}" for role, authors in byline_groups(article)]
    if review := reviewed_by(article):
        parts.append(review)
    return "; ".join(parts)


def teaser_ai_mark(article: Piece) -> str:
    """The short marker teasers carry for pieces an AI agent wrote or helped with."""
    if not article.has_ai_byline:
        return ""
    return "Written by an AI agent" if article.ai_involvement == "generated" else "AI-assisted"


def title_with_label(article: Piece) -> str:
    """Headline for <title>, feeds and social cards: the label first, as the FTC asks."""
    sponsorship = article.sponsorship_or_none
    if sponsorship is None:
        return article.headline
    return f"{sponsorship.full_label}: {article.headline}"
