"""Purging by key: when an article changes, exactly the pages that show it are dropped,
from the app's page cache at once and from the edge cache (Varnish) by a task.

An article's keys can change with it (moved to another section, a tag or byline
removed, a sponsorship ended): the pages that showed it where it *was* must go too.
So the keys of each purge are remembered, and the next change of that article purges
the keys it had then as well as the keys it has now.
"""

import logging
import time
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.tasks import task

from articles.models import Article
from articles.publishing.translations import family_pks
from articles.site.caching import LIST_KEYS, SECTIONS_KEY, article_keys, version_key

logger = logging.getLogger(__name__)

KNOWN_KEYS_PREFIX = "public:article-keys:"
# A purge that Varnish has not answered by then is logged and given up.
PURGE_TIMEOUT_SECONDS = 3


def purge(keys: Iterable[str]) -> None:
    """Drop every cached page showing any of ``keys``: new versions in the page cache now,
    and a purge of the edge cache queued when ``VARNISH_URL`` names one."""
    keys = sorted(set(keys))
    if not keys:
        return
    # A version lives as long as a page cached before it could (then it is moot);
    # its value, the purge time, also tells the page cache a change is still settling.
    now = time.time()
    cache.set_many(
        {version_key(key): now for key in keys}, timeout=settings.PUBLIC_CACHE_SECONDS + 60
    )
    if settings.VARNISH_URL:
        purge_edge.enqueue(keys)


def on_articles_changed(sender, articles: list[Article], action: str, **kwargs) -> None:
    """Receiver for ``workflow.articles_changed`` (after commit): one purge of the keys the
    articles have now and those they had at their last change, in a fixed number of
    queries and cache round trips however many articles a shared record is shown on.
    Never fails the change itself: a cache that cannot be reached is logged, and pages
    expire by their lifetime."""
    refresh([article.pk for article in articles])


def on_renditions_made(sender, image, **kwargs) -> None:
    """Receiver for ``renditions.renditions_made``: the live articles leading with the
    image, whose pages may have been cached with the original picture, are refreshed."""
    live = Article.objects.filter(lead_image=image, status=Article.Status.PUBLISHED)
    refresh(list(live.values_list("pk", flat=True)))


def on_section_changed(sender, instance, **kwargs) -> None:
    """Receiver for a section's ``post_save`` and ``post_delete``: every public page
    draws the navigation, so all of them (and the API lists, which name sections) are
    refreshed once the change is committed. Sections change rarely."""
    keys = {SECTIONS_KEY, f"section-{instance.pk}", "api-articles"}
    transaction.on_commit(lambda: _purge_quietly(keys))


def _purge_quietly(keys: set[str]) -> None:
    try:
        purge(keys)
    except Exception:
        logger.exception("Could not purge %s", " ".join(sorted(keys)))


def refresh(pks: list[int]) -> None:
    """Purge the keys articles ``pks`` have now and those they had at their last purge."""
    pks = sorted(set(pks))
    if not pks:
        return
    try:
        now = current_keys(pks)
        known = {pk: KNOWN_KEYS_PREFIX + str(pk) for pk in pks}
        before = cache.get_many(list(known.values()))
        cache.set_many({known[pk]: sorted(now[pk]) for pk in pks}, timeout=None)
        purge(set().union(*now.values(), *before.values()))
    except Exception:
        logger.exception("Could not purge the cached pages of articles %s", pks)


def current_keys(pks: list[int]) -> dict[int, set[str]]:
    """``article_keys`` of each stored article (the senders' copies may be stale or
    partial), and its translation siblings' pages; an article deleted since has its own
    page's and the lists' keys."""
    rows = (
        Article.objects.filter(pk__in=pks)
        .select_related("sponsorship")
        .prefetch_related("tags", "bylines")
    )
    keys = {pk: {f"article-{pk}", *LIST_KEYS} for pk in pks}
    keys |= {article.pk: article_keys(article) for article in rows}
    # Its original's and translations' pages name it (hreflang, JSON-LD): theirs too.
    for pk, family in family_pks(list(rows)).items():
        keys[pk] |= {f"article-{member}" for member in family}
    return keys


@task
def purge_edge(keys: list[str]) -> None:
    """Ask each Varnish in ``VARNISH_URL`` to drop the objects tagged with ``keys``
    (vmod xkey). Failures are logged, never raised: the objects expire on their own."""
    for url in settings.VARNISH_URL:
        if not url.startswith(("http://", "https://")):
            logger.error("VARNISH_URL must be an http(s) URL, not %r", url)
            continue
        request = urllib.request.Request(  # noqa: S310 -- scheme checked above
            url, method="PURGE", headers={"xkey-purge": " ".join(keys)}
        )
        try:
            # Only http(s) URLs from settings reach here (checked above).
            with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT_SECONDS):  # noqa: S310 # nosec B310
                pass
        except (OSError, ValueError) as exc:
            logger.warning("Could not purge %s from %s: %s", " ".join(keys), url, exc)
