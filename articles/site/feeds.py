"""RSS and Atom feeds. A sponsored item carries its label in its title and category,
so the disclosure survives republication (FTC).

Every text a feed writes passes through ``clean_text`` once it is assembled: Django's
XML writer refuses a control character, so one stored in any headline, name or
description (by raw SQL, say, or before text was cleaned on save) would otherwise turn
the whole feed into a server error for every reader.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from articles import labels
from articles.models import Article, Author, Section
from articles.prefetch import prefetched
from articles.sanitize import clean_text

FEED_SIZE = 30


def _cleaned(value):
    """``value`` (a text, or a dict or list of them) with every text through ``clean_text``."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {name: _cleaned(part) for name, part in value.items()}
    if isinstance(value, list | tuple):
        return [_cleaned(part) for part in value]
    return value


class XMLSafeFeed(Feed):
    """A feed whose every text (the feed's and each item's) is fit for XML."""

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # After the generator is filled: the one place that sees every text it will write.
        feed.feed, feed.items = _cleaned(feed.feed), _cleaned(feed.items)
        return feed


class LatestFeed(XMLSafeFeed):
    description_template = "articles/feed_description.html"

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: latest" if obj is None else f"{settings.SITE_NAME}: {obj}"

    def link(self, obj=None):
        return obj.get_absolute_url() if obj is not None else "/"

    def description(self, obj=None):
        return f"The latest from {settings.SITE_NAME}. Paid content is labelled in every item."

    def items(self, obj=None):
        # Newest first from the publication indexes: a feed reads 30 rows, never sorts the archive.
        articles = Article.objects.published().for_listing().newest_first()
        return prefetched(self.filter(articles, obj)[:FEED_SIZE])

    def filter(self, articles, obj):
        return articles

    # Each item speaks its article's language (a German piece's title starts "Anzeige"),
    # whatever the feed's; so does its description (feed_description.html).
    def item_title(self, item: Article) -> str:
        with labels.in_language(item):
            return labels.title_with_label(item)

    def item_author_name(self, item: Article) -> str:
        with labels.in_language(item):
            return labels.byline_text(item)

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.modified_at

    def item_categories(self, item: Article) -> list[str]:
        with labels.in_language(item):
            categories = [item.label] if item.is_sponsored else []
            if item.section_id:
                categories.append(item.section.name)
            if mark := labels.teaser_ai_mark(item):
                categories.append(mark)
            return [*categories, str(item.work_type.label)]


class LatestAtomFeed(LatestFeed):
    feed_type = Atom1Feed
    subtitle = LatestFeed.description


class SectionFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def filter(self, articles, obj):
        return articles.filter(section=obj)


class AuthorFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def filter(self, articles, obj):
        return articles.filter(pk__in=obj.bylines.values("article_id"))
