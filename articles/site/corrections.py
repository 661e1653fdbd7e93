"""The public record of our mistakes: every correction, clarification, update and
retraction on a piece readers have seen, newest first, as a page and as a feed (the
corrections policy promises both).

A note on a piece later withdrawn stays listed (a retraction most of all): its link
leads to the article's address, which answers 410 Gone with the notes. Notes on pieces
readers never saw are never listed. The page and feed are refreshed by every article
change (``corrections`` is one of the list keys), so a new note shows at once.
"""

from __future__ import annotations

from html import unescape

from django.conf import settings
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from articles import labels
from articles.models import Article, Correction
from articles.querysets import ordered_within
from articles.site.caching import public_page
from articles.site.feeds import FEED_SIZE, XMLSafeFeed
from articles.site.pagination import paginate, redirect_page_number

NEWEST_NOTE_FIRST = ("created_at", "pk")


def public_notes():
    """Notes on pieces readers have seen: live now, or withdrawn after publication."""
    seen = Q(article__status=Article.Status.PUBLISHED, article__published_at__lte=timezone.now())
    withdrawn = Q(article__status=Article.Status.UNPUBLISHED, article__published_at__isnull=False)
    named = ordered_within(Correction, "corrected_claims")
    return (
        Correction.objects.filter(seen | withdrawn)
        .select_related("article", "article__sponsorship__sponsor")
        # The claims each note corrects, what they read before: one query for the page.
        .prefetch_related(Prefetch("corrected_claims", queryset=named))
    )


@public_page(keys=["corrections"])
def corrections(request):
    if redirect := redirect_page_number(request):
        return redirect
    page = paginate(request, public_notes(), NEWEST_NOTE_FIRST)
    return render(request, "articles/corrections.html", {"page": page})


class CorrectionsFeed(XMLSafeFeed):
    """The newest notes, one item each: its kind and the article's labelled headline as
    title, the note as description, linked to the article."""

    def title(self):
        return f"{settings.SITE_NAME}: corrections and updates"

    def link(self):
        return reverse("articles:corrections")

    def description(self):
        return (
            f"Every correction, clarification, update and retraction {settings.SITE_NAME} "
            "publishes, newest first."
        )

    def items(self):
        return list(public_notes().order_by("-created_at", "-pk")[:FEED_SIZE])

    def item_title(self, note: Correction) -> str:
        with labels.in_language(note.article):
            return f"{note.get_kind_display()}: {labels.title_with_label(note.article)}"

    def item_description(self, note: Correction) -> str:
        # The corrected claims as the page words them, in plain text.
        with labels.in_language(note.article):
            claims = render_to_string("articles/_corrected_claims.html", {"note": note})
        return " ".join([note.text, *unescape(strip_tags(claims)).split()])

    def item_link(self, note: Correction) -> str:
        return f"{note.article.get_absolute_url()}#corrections"

    def item_guid(self, note: Correction) -> str:
        return f"{settings.SITE_URL}/corrections/#note-{note.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, note: Correction):
        return note.created_at

    def item_categories(self, note: Correction) -> list[str]:
        with labels.in_language(note.article):
            label = note.article.label
            return [str(note.get_kind_display()), *([label] if label else [])]
