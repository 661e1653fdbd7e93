"""Reads of articles as chainable QuerySet verbs.

``for_listing()`` and ``for_detail()`` are the only places that decide what is
joined or prefetched, so admin, site, feeds and API share one query budget.
"""

from __future__ import annotations

from django.db import connection, models
from django.utils import timezone

NEWSROOM, COMMERCIAL = "newsroom", "commercial"  # Article.Desk's values


def readable_desks(user) -> set[str]:
    """The desks whose unpublished work ``user`` may read (the firewall for reading).

    An advertiser must never learn of a story before readers do, so the commercial
    desk reads only its own drafts, and the newsroom reads none of the commercial
    desk's; a standards editor or an administrator reads both.
    """
    if user.has_perm("articles.view_all_desks"):
        return {NEWSROOM, COMMERCIAL}
    desks = set()
    if user.has_perm("articles.manage_sponsored_content"):
        desks.add(COMMERCIAL)
    if user.has_perm("articles.edit_newsroom_article") or (
        not desks and user.has_perm("articles.view_article")
    ):
        desks.add(NEWSROOM)
    return desks


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        """Articles readers may see: published, with a publication time not in the future."""
        return self.filter(status="published", published_at__lte=timezone.now())

    def drafts(self) -> ArticleQuerySet:
        """Articles still being written."""
        return self.filter(status="draft")

    def sponsored(self) -> ArticleQuerySet:
        """Articles with a sponsorship of any kind."""
        return self.filter(sponsorship__isnull=False)

    def editorial(self) -> ArticleQuerySet:
        """Newsroom journalism: articles with no sponsorship."""
        return self.filter(sponsorship__isnull=True)

    def by_ai_agents(self) -> ArticleQuerySet:
        """Articles with at least one AI-agent byline."""
        return self.filter(bylines__author__kind="ai_agent").distinct()

    def readable_by(self, user) -> ArticleQuerySet:
        """What ``user`` may open, list, search or preview: published pieces, and the
        unpublished work of the desks they may read (``readable_desks``)."""
        return self.filter(models.Q(status="published") | models.Q(desk__in=readable_desks(user)))

    def on_desks_of(self, user) -> ArticleQuerySet:
        """Articles on the desks ``user`` works on: the commercial desk, the newsroom, or own."""
        desks = models.Q(pk__in=[])
        if user.has_perm("articles.manage_sponsored_content"):
            desks |= models.Q(desk="commercial")
        if user.has_perm("articles.edit_newsroom_article"):
            desks |= models.Q(desk="newsroom")
        elif not user.has_perm("articles.manage_sponsored_content"):
            # A reporter's own pieces; the commercial desk never, not even via a byline.
            desks |= models.Q(desk="newsroom", created_by=user)
            desks |= models.Q(desk="newsroom", bylines__author__user=user)
        return self.filter(desks).distinct()

    def search(self, query: str) -> ArticleQuerySet:
        """Articles matching ``query``, best first.

        On PostgreSQL: full-text search, headline weighted over standfirst over body.
        On SQLite: every word must appear somewhere (no ranking).
        """
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

            vector = (
                SearchVector("headline", weight="A")
                + SearchVector("dek", weight="B")
                + SearchVector("body", weight="C")
            )
            search = SearchQuery(query, search_type="websearch")
            # Match with @@ (ts_rank is never quite 0, so it cannot decide what matches).
            return (
                self.annotate(document=vector, rank=SearchRank(vector, search))
                .filter(document=search)
                .order_by("-rank", "-published_at")
            )
        matches = self
        for word in query.split():
            matches = matches.filter(
                models.Q(headline__icontains=word)
                | models.Q(dek__icontains=word)
                | models.Q(body__icontains=word)
            )
        return matches

    def for_listing(self) -> ArticleQuerySet:
        """What a teaser shows (section, label, bylines, image) in a fixed number of queries."""
        # Related models are reached through the relations, so this module imports no
        # models: the models import it (ArticleQuerySet is Article's manager).
        bylines = self.model._meta.get_field("bylines").related_model
        return self.select_related(
            "section", "lead_image", "sponsorship__sponsor"
        ).prefetch_related(
            models.Prefetch(
                "bylines",
                queryset=bylines.objects.select_related("author__supervising_editor"),
            ),
            "tags",
            # Every teaser's picture from one query (renditions are made once, then reused).
            "lead_image__renditions",
            # Teasers of AI-written pieces name the human who reviewed them;
            # corrections give every item its true "updated" time.
            "reviews",
            "corrections",
        )

    def for_detail(self) -> ArticleQuerySet:
        """A listing plus claims with their sources and the corrections."""
        claims = self.model._meta.get_field("claims").related_model
        return self.for_listing().prefetch_related(
            models.Prefetch("claims", queryset=claims.objects.with_citations()),
        )
