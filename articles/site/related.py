"""The "Related" block under an article: what a reader might read next.

Up to ``RELATED_SIZE`` published pieces, never the article itself nor one twice:

1. the pieces an editor pinned (``RelatedPin``), in the editor's order, once published;
2. pieces sharing the most tags with it (ties: newest first), among the newest
   ``TAG_CANDIDATES`` that share any, so a tag on half the archive costs no more than
   a rare one;
3. the newest of its section.

Sponsored pieces may appear like any other and keep their label on the card (the
teaser partial draws it): the section rail did the same before tags ranked it.

Three queries whatever the number of tags or pins (one fewer without a section, one
fewer without tags), each read from an index, returning teaser rows; ``prefetch_page``
reads their bylines, pictures and reviews together with the article's own.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from taggit.models import TaggedItem

from articles.models import Article
from articles.prefetch import prefetch

RELATED_SIZE = 4
# At most this many of the newest pieces sharing a tag are ranked by how many they share
# (a page's worth: the ranking's sort stays small at any archive size).
TAG_CANDIDATES = 50
# Pins read under an article, published or not; more are kept but not read.
PINS_READ = 20


def related_articles(article: Article, *, size: int = RELATED_SIZE) -> list[Article]:
    """Up to ``size`` published pieces related to ``article``: pins, then shared tags,
    then its section's newest (see the module's docstring)."""
    return related_block(article, size=size)[0]


def related_block(article: Article, *, size: int = RELATED_SIZE) -> tuple[list[Article], set[str]]:
    """``related_articles``, and the surrogate keys of the page showing them: each piece
    shown, and each piece pinned but not shown yet (a draft, a scheduled piece), whose
    publication must refresh the page at once."""
    # Teaser rows: the row with its section, picture and label; no body, no search vector.
    rows = Article.objects.for_page().defer("body").exclude(pk=article.pk)
    live = Article.objects.published().filter(pk=OuterRef("pk"))
    pins = list(
        rows.filter(pinned_under__article=article)
        .annotate(live=Exists(live))
        .order_by("pinned_under__position", "pinned_under__pk")[:PINS_READ]
    )
    pinned = [piece for piece in pins if piece.live][:size]
    chosen = [article.pk, *(piece.pk for piece in pins)]
    rows = rows.published()
    # The article's own tags, which its page shows anyway (prefetch_page then keeps them):
    # given as values, they tell the planner how common each is, so a rare tag's pieces
    # are looked up and a common tag's found by walking the date index.
    prefetch([article], "tags")
    tag_ids = [tag.pk for tag in article.tags.all()]
    picks = [*pinned, *(_by_shared_tags(rows, tag_ids, chosen, size) if tag_ids else [])]
    if article.section_id:
        # Up to ``size`` of these may already be picks by tags: twice as many leave enough.
        newest = rows.filter(section_id=article.section_id).exclude(pk__in=chosen)
        picks += newest.newest_first()[: size * 2]
    related, seen = [], set()
    for piece in picks:
        if piece.pk not in seen:
            seen.add(piece.pk)
            related.append(piece)
    related = related[:size]
    return related, {f"article-{piece.pk}" for piece in [*related, *pins]}


def _by_shared_tags(rows, tag_ids: list[int], chosen: list[int], size: int) -> list[Article]:
    # A semi-join on the content type's id (cached), as the tag page reads its articles.
    tagged = TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Article))
    sharing = tagged.filter(tag_id__in=tag_ids)
    candidates = (
        Article.objects.published()
        .exclude(pk__in=chosen)
        .filter(pk__in=sharing.values("object_id"))
        .newest_first()
        .values("pk")[:TAG_CANDIDATES]
    )
    shared = (
        sharing.filter(object_id=OuterRef("pk"))
        .order_by()
        .values("object_id")
        .annotate(shared=Count("pk"))
        .values("shared")
    )
    return list(
        rows.filter(pk__in=candidates)
        .annotate(shared_tags=Subquery(shared, output_field=IntegerField()))
        .order_by("-shared_tags", "-published_at", "-id")[:size]
    )
