"""The publish gates: every reason an article may not go live, in plain words.

The admin shows them on the article page and the dashboard, and the workflow
checks them at publication (now or at a scheduled time), through every door.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from articles import labels
from articles.media import embeds
from articles.models import Article, Image, Sponsorship
from articles.publishing import doubling, unsourced, verified

# The one kind of sponsorship each desk's pieces may carry. Advertising is made by the
# commercial desk; underwriting funds newsroom journalism, whose printed disclaimer says
# the sponsor had no role in choosing, reporting, writing or editing it.
SPONSORSHIP_KIND_OF_DESK = {
    Article.Desk.COMMERCIAL: Sponsorship.Kind.NATIVE_ADVERTISING,
    Article.Desk.NEWSROOM: Sponsorship.Kind.UNDERWRITING,
}


def sponsorship_kind_problem(desk: str, kind: str) -> str:
    """Why a sponsorship of ``kind`` may not be on a piece of ``desk``; empty if it fits."""
    if kind == SPONSORSHIP_KIND_OF_DESK.get(desk):
        return ""
    if kind == Sponsorship.Kind.NATIVE_ADVERTISING:
        return (
            f"Native advertising (“{labels.NATIVE_ADVERTISING_LABEL}”) belongs only on "
            "commercial-desk pieces, never on newsroom journalism."
        )
    if kind == Sponsorship.Kind.UNDERWRITING:
        supported_by = labels.UNDERWRITING_LABEL.format(sponsor="…")
        return (
            f"Underwriting (“{supported_by}”) belongs only on newsroom journalism, never on a "
            "commercial-desk piece."
        )
    return "The sponsorship has no valid label."


def publish_problems(article: Article, *, on: dt.datetime | None = None) -> list[str]:
    """Every reason ``article`` may not be published at ``on`` (default: now), in plain words."""
    on = on or timezone.now()
    problems = []
    if not article.headline.strip():
        problems.append("Add a headline.")
    if not article.body_text:
        problems.append("Write the body.")
    if article.section_id is None:
        problems.append("Choose a section.")
    bylines = article.byline_list
    if not bylines:
        problems.append("Add at least one byline.")

    body_text = article.body_text
    for claim in article.claims.all():
        if claim.is_detached(body_text):
            problems.append(f"The claim “{claim}” no longer appears in the body.")
        if not claim.attributions.all():
            problems.append(f"The claim “{claim}” has no source.")
    problems += doubling.gate_problems(article)

    if problem := article.ai_involvement_problem():
        problems.append(problem)
    if article.has_ai_byline:
        review = article.latest_review
        if review is None:
            problems.append(
                "An AI agent is in the byline: a human editor must record a review before "
                "it is published."
            )
        elif review.version != article.version:
            problems.append(
                f"{review.reviewer_name} reviewed version {review.version}, but the article has "
                f"changed since (version {article.version}): record a new review."
            )
    if problem := unsourced.gate_problem(article):
        problems.append(problem)
    if problem := verified.gate_problem(article):
        problems.append(problem)

    sponsorship = article.sponsorship_or_none
    if sponsorship is None and article.desk == Article.Desk.COMMERCIAL:
        problems.append(
            "This is a commercial-desk piece: it needs its sponsorship (and so its label) "
            "before it can be published."
        )
    if sponsorship is not None:
        # Old data may pair a desk with the other desk's kind: refused, never published.
        if problem := sponsorship_kind_problem(article.desk, sponsorship.kind):
            problems.append(problem)
        elif not sponsorship.label:
            problems.append("The sponsorship has no valid label.")
        if not sponsorship.disclosure.strip():
            problems.append("The sponsorship needs its disclosure text.")
        day = timezone.localdate(on)
        if not sponsorship.is_active_on(day):
            ends = sponsorship.campaign_ends_on
            window = f"from {sponsorship.campaign_starts_on:%-d %B %Y}" + (
                f" to {ends:%-d %B %Y}" if ends else ""
            )
            problems.append(
                f"The sponsor's campaign runs {window}, so the piece cannot be published on "
                f"{day:%-d %B %Y}."
            )

    if article.lead_image_id and not article.lead_image.alt_text.strip():
        problems.append("The lead image needs alt text.")
    problems += body_media_problems(article.body)
    if article.expires_at is not None and article.expires_at <= on:
        problems.append(
            f"Its unpublish time ({timezone.localtime(article.expires_at):%-d %B %Y %H:%M}) "
            "is not after the publication time: change or clear it."
        )
    return problems


def publish_warnings(article: Article) -> list[str]:
    """Advice about ``article`` that never blocks its publication, in plain words."""
    return [warning] if (warning := unsourced.warning(article)) else []


def body_media_problems(body: str) -> list[str]:
    """What keeps the body's pictures and embeds from being shown as they should: one
    query for all its pictures, none without any."""
    ids, urls = embeds.markers(body)
    problems = [
        f"The body embeds {url}, which is not on the allow-list of providers: remove it."
        for url in dict.fromkeys(urls)
        if embeds.parse(url) is None
    ]
    alt_texts = dict(Image.objects.filter(pk__in=ids).values_list("pk", "alt_text")) if ids else {}
    for pk in dict.fromkeys(ids):
        if pk not in alt_texts:
            problems.append(
                f"The body shows image {pk}, which no longer exists in the library: remove it "
                "or choose another."
            )
        elif not alt_texts[pk].strip():
            problems.append(f"Image {pk} in the body needs alt text.")
    return problems
