"""Reads of articles as chainable QuerySet verbs.

``for_teasers()``, ``for_listing()`` and ``for_detail()`` are the only places that
decide what is joined or prefetched, so admin, site, feeds and API share one query budget.
"""

from __future__ import annotations

import json
from itertools import groupby
from operator import attrgetter

from django.db import connection, models
from django.db.models.functions import Cast
from django.utils import timezone

NEWSROOM, COMMERCIAL = "newsroom", "commercial"  # Article.Desk's values
# Up to this many matches (the planner's estimate), search reads them all from the GIN
# index and sorts their dates; beyond, the newest are found faster by walking the date
# index and testing each article until enough match.
SEARCH_SORT_MATCHES = 20_000


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

    def under_embargo(self) -> ArticleQuerySet:
        """Scheduled articles that partners cleared for embargoed copy receive early."""
        return self.filter(status="scheduled", embargo=True)

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

    def newest_first(self) -> ArticleQuerySet:
        """Newest publication first, ties broken by id: the order of every public list.

        Published lists read it from the indexes on (status, published_at, id) and
        (section, published_at, id), so a page costs the same at any archive size.
        """
        return self.order_by("-published_at", "-id")

    def search(self, query: str, *, newest: int | None = None) -> ArticleQuerySet:
        """Articles matching ``query``, best first.

        On PostgreSQL: the stored full-text vector (headline over standfirst over body)
        matched through its GIN index, ranked. With ``newest``, only the newest that
        many matches are ranked, so a query matching half the archive costs no more
        than a rare one. On SQLite: every word must appear somewhere, newest first.
        """
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchRank

            search = SearchQuery(query, search_type="websearch", config="english")
            matches = self.filter(search_vector=search)
            if newest is not None:
                newest_matches = matches.newest_first()
                if _estimated_rows(matches) <= SEARCH_SORT_MATCHES:
                    # From the GIN index, sorting only the matches' dates: "NULLS LAST" (no
                    # published row lacks a date) keeps the planner from walking the date
                    # index, which reads each article's whole vector until enough match.
                    newest_matches = matches.order_by(
                        models.F("published_at").desc(nulls_last=True), "-id"
                    )
                matches = self.filter(pk__in=newest_matches.values("pk")[:newest])
            # float8, so that a rank carried in a "more results" link compares equal.
            rank = Cast(SearchRank(models.F("search_vector"), search), models.FloatField())
            return matches.annotate(rank=rank).order_by("-rank", "-published_at", "-id")
        matches = self
        for word in query.split():
            matches = matches.filter(
                models.Q(headline__icontains=word)
                | models.Q(dek__icontains=word)
                | models.Q(body__icontains=word)
            )
        return matches.newest_first()

    def for_teasers(self) -> ArticleQuerySet:
        """A teaser's row joined with its section, label and picture; ``prefetch_teasers``
        reads the bylines, renditions and reviews of a page of them."""
        # The stored search vector is as long as the body: only search reads it.
        return self.defer("search_vector").select_related(
            "section", "lead_image", "sponsorship__sponsor"
        )

    def for_listing(self, *, corrections: models.QuerySet | None = None) -> ArticleQuerySet:
        """What a list item shows in feeds, the API and the admin (a teaser, its tags and
        corrections) in a fixed number of queries."""
        if corrections is None:
            corrections = ordered_within(self.model, "corrections")
        return self.for_teasers().prefetch_related(
            *teaser_prefetches(self.model),
            "tags",
            # Corrections give every item its true "updated" time.
            models.Prefetch("corrections", queryset=corrections),
        )

    def for_detail(self) -> ArticleQuerySet:
        """A listing plus claims with their sources and the corrections with the claims
        they name."""
        claims = _related(self.model, "claims")
        return self.for_listing(corrections=corrections_with_claims(self.model)).prefetch_related(
            models.Prefetch(
                "claims", queryset=claims.objects.with_citations().order_by("position", "pk")
            ),
        )

    def for_page(self) -> ArticleQuerySet:
        """The public article page's row with what it joins; the page reads the rest with
        its rail (``prefetch_page``)."""
        return self.defer("search_vector").select_related(
            "section", "lead_image", "sponsorship__sponsor"
        )


# Related rows in their models' own order, but only within each article (or image): the
# models' orderings start with "article" (or "image"), which would join the articles (or
# images) and sort by them just to group rows the prefetch groups anyway.
ORDER_WITHIN = {
    "bylines": ("position", "pk"),
    "reviews": ("-reviewed_at", "-pk"),
    "corrections": ("created_at", "pk"),
    "corrected_claims": ("pk",),
    "renditions": ("spec", "format", "width"),
}


def _related(model, *path: str):
    # Related models are reached through the relations, so this module imports no
    # models: the models import it (ArticleQuerySet is Article's manager).
    for name in path:
        model = model._meta.get_field(name).related_model
    return model


def ordered_within(model, relation: str) -> models.QuerySet:
    return _related(model, relation).objects.order_by(*ORDER_WITHIN[relation])


def corrections_with_claims(article_model) -> models.QuerySet:
    """Corrections with the claims each names (one query more, none without corrections)."""
    named = ordered_within(_related(article_model, "corrections"), "corrected_claims")
    return ordered_within(article_model, "corrections").prefetch_related(
        models.Prefetch("corrected_claims", queryset=named)
    )


def teaser_prefetches(article_model) -> list[models.Prefetch]:
    """Bylines with their authors, the lead image's renditions and the human reviews:
    what a teaser (and an article page's byline) shows beyond the article's row."""
    bylines = ordered_within(article_model, "bylines").select_related("author__supervising_editor")
    images = _related(article_model, "lead_image")
    return [
        models.Prefetch("bylines", queryset=bylines),
        # Every teaser's picture from one query (renditions are made once, then reused).
        models.Prefetch("lead_image__renditions", queryset=ordered_within(images, "renditions")),
        # Teasers of AI-written pieces name the human who reviewed them.
        models.Prefetch("reviews", queryset=ordered_within(article_model, "reviews")),
    ]


def sourced_claims(article) -> list:
    """A published article's claims in body order, each with its sources, in one query.

    A live piece has no claim without a source (the publish gates hold at publication and
    at every later edit), so reading the sources with their claims finds every claim.
    Previews, which may show unsourced claims, read ``for_detail``'s claims instead.
    """
    attributions = _related(type(article), "claims", "attributions").objects
    rows = (
        attributions.filter(claim__article=article)
        .select_related("claim", "document__publisher", "via")
        .order_by("claim__position", "claim_id", "position", "pk")
    )
    claims = []
    for _, group in groupby(rows, key=attrgetter("claim_id")):
        sources = list(group)
        claim = sources[0].claim
        # Kept as a prefetch of claim.attributions would keep it, so that
        # claim.attributions.all() reads these rows instead of querying again.
        _hold(claim, "attributions", sources)
        claims.append(claim)
    _chains([a for claim in claims for a in claim.attributions.all() if a.via_id], attributions)
    # Whether each claim is checked, and by whom (``sources.verification``): one query more.
    checks = _related(type(article), "claims", "checks").objects.select_related("checked_by")
    models.prefetch_related_objects(claims, models.Prefetch("checks", checks.order_by()))
    return claims


def _chains(carried: list, attributions) -> None:
    """The further intermediaries of the attributions in ``carried`` (those with a first
    intermediary: only those have chains), in one query, none when there are none."""
    if not carried:
        return
    hops = _related(attributions.model, "hops").objects.select_related("publisher")
    found: dict[int, list] = {a.pk: [] for a in carried}
    for hop in hops.filter(attribution__in=list(found)).order_by("position", "pk"):
        found[hop.attribution_id].append(hop)
    for attribution in carried:
        _hold(attribution, "hops", found[attribution.pk])


def _hold(row, relation: str, results: list) -> None:
    fetched = getattr(row, relation).all()
    fetched._result_cache, fetched._prefetch_done = results, True
    row._prefetched_objects_cache = {relation: fetched}


def _estimated_rows(queryset: models.QuerySet) -> int:
    """The planner's estimate of how many rows ``queryset`` holds (PostgreSQL; reads none)."""
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return plan[0]["Plan"]["Plan Rows"]
