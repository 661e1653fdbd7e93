"""Public pages: tagged with what they show, cached, and dropped by key when that changes.

Every public response names the records it shows in an ``xkey`` header
(``article-12 section-3``; the names are in ``article_keys``). Two caches keep
anonymous pages and both forget them by key:

- the app's own page cache (``PageCacheMiddleware``), in the shared Django cache: an
  entry is the page's bytes and headers plus the *version* of each key it showed when it
  was rendered; ``purging.purge`` gives the purged keys new versions, so the next request
  for any page showing them renders afresh and every other page stays cached. A hit costs
  one cache round trip (two for a page new to the process), no session, no database;
- an edge cache (Varnish, ``deploy/varnish/default.vcl``), which keeps what carries an
  ``xkey`` for ``EDGE_CACHE_SECONDS`` and drops it on a purge by key.

``PUBLIC_CACHE_SECONDS=0`` switches the app's page cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Iterable
from functools import partial, wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe, quote_etag

# Keys every article change purges: the lists and machine-readable files that may show it.
LIST_KEYS = frozenset({"home", "feeds", "search", "api-articles", "corrections"})
# On every public page: the navigation (and the sections sitemap) lists the sections.
SECTIONS_KEY = "sections"
PAGE_PREFIX = "public:page:"
VERSION_PREFIX = "public:key:"
# After a purge, pages showing its keys are not kept for this long: a render that began
# before the change was committed (or read a lagging replica) must not be cached as fresh.
SETTLE_SECONDS = 2.0
CACHED_STATUSES = (200, 410)
# How many pages' keys a process remembers (a few MB at most), for one-trip hits.
KNOWN_PAGES = 20_000
# Stored with a page and replayed on a hit; the rest are the server's business.
SKIPPED_HEADERS = frozenset({"set-cookie", "date", "server"})


# -- surrogate keys -----------------------------------------------------------------


def article_keys(article) -> set[str]:
    """Every key whose pages show ``article``: its own page, its section, tags, authors
    and sponsor, and the lists and feeds. Reads bylines, tags and sponsorship from the
    instance (no query when they are prefetched or selected)."""
    keys = {f"article-{article.pk}", *LIST_KEYS}
    if article.section_id:
        keys.add(f"section-{article.section_id}")
    keys |= {f"tag-{tag.pk}" for tag in article.tags.all()}
    keys |= {f"author-{byline.author_id}" for byline in article.bylines.all()}
    with contextlib.suppress(ObjectDoesNotExist):  # not sponsored
        keys.add(f"sponsor-{article.sponsorship.sponsor_id}")
    return keys


def tag_response(response: HttpResponse, keys: Iterable[str], *, public: bool = True) -> None:
    """Name what ``response`` shows. Public: ``xkey`` (added to any keys already there)
    and a ``Cache-Control`` that lets the edge cache keep it and browsers revalidate.
    Not public (a session, an API key): ``private, no-store`` and no keys."""
    if not public or getattr(response, "surrogate_keys", ()) is None:
        response.surrogate_keys = None
        if "xkey" in response:
            del response["xkey"]
        response["Cache-Control"] = "private, no-store"
        return
    response.surrogate_keys = frozenset(getattr(response, "surrogate_keys", ())) | set(keys)
    if response.surrogate_keys:
        response["xkey"] = " ".join(sorted(response.surrogate_keys))
    patch_cache_control(response, public=True, max_age=0, s_maxage=settings.EDGE_CACHE_SECONDS)


def is_anonymous(request) -> bool:
    """No session, no credentials: a request any reader could have made. Decided from
    the headers alone, so no session or user is ever loaded to decide it."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and "HTTP_X_API_KEY" not in request.META
    )


# -- the view decorator ---------------------------------------------------------------


def public_page(view=None, /, *, keys: Iterable[str] = ()):
    """A public GET view: its response tagged with ``keys``, ``sections`` (and any keys
    the view gave it with ``tag_response``), validators set and conditional requests
    answered with 304; for anonymous readers, kept by the page cache and the edge cache."""
    if view is None:
        return partial(public_page, keys=keys)
    keys = frozenset(keys) | {SECTIONS_KEY}

    @wraps(view)
    def tagged(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.streaming:
            return response
        if hasattr(response, "render"):
            response.render()
        tag_response(response, keys, public=is_anonymous(request))
        response.public_page = True
        if response.status_code not in CACHED_STATUSES:
            return response
        etag = quote_etag(hashlib.blake2b(response.content, digest_size=16).hexdigest())
        response.headers.setdefault("ETag", etag)
        response.headers.setdefault("Last-Modified", http_date())
        return _conditional(request, response)

    tagged.is_public_page = True
    return tagged


def public_feed(view):
    """A feed or sitemap: a public page refreshed by every article change (``feeds``)."""
    return public_page(view, keys=["feeds"])


def tagged(response: HttpResponse, *keys: str) -> HttpResponse:
    """``response``, tagged with ``keys`` (for a view to name the records it shows)."""
    tag_response(response, keys)
    return response


def article_page_keys(article) -> set[str]:
    """What an article's page shows: the article, and its section's newest (the rail)."""
    keys = {f"article-{article.pk}"}
    if article.section_id:
        keys.add(f"section-{article.section_id}")
    return keys


def _conditional(request, response: HttpResponse) -> HttpResponse:
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=last_modified, response=response
    )


# -- the page cache -------------------------------------------------------------------


def version_key(key: str) -> str:
    return VERSION_PREFIX + key


def page_cache_key(request) -> str:
    # The site's own words follow the reader's language (LocaleMiddleware, below this
    # one): one entry per path and language, of the few settings.LANGUAGES lists.
    language = translation.get_language_from_request(request)
    path = f"{language} {request.get_full_path()}".encode()
    return PAGE_PREFIX + hashlib.blake2b(path, digest_size=20).hexdigest()


def _page_cache_on() -> bool:
    return settings.PUBLIC_CACHE_SECONDS > 0


def _is_public_page(path: str) -> bool:
    try:
        return getattr(resolve(path).func, "is_public_page", False)
    except Resolver404:
        return False


class PageCacheMiddleware:
    """Answer anonymous GET and HEAD requests for cached public pages before sessions,
    authentication or any view run; keep what ``public_page`` views render for them.

    Placed before SessionMiddleware, after SecurityMiddleware (whose headers every
    answer gets); the headers of the middleware below it are stored with the page."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Page cache key -> the version keys its entry was stored with, as last seen.
        self.known_keys: dict[str, tuple[str, ...]] = {}

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not is_anonymous(request):
            return self.get_response(request)
        if not (_page_cache_on() or settings.VARNISH_URL):
            return self.get_response(request)
        started = time.time()
        # Only public_page views are looked up: the admin, the API (which varies by
        # Accept and key) and the rest never pay for a cache round trip.
        cacheable = _page_cache_on() and _is_public_page(request.path_info)
        if cacheable and (response := self.cached(request)) is not None:
            return response
        response = self.get_response(request)
        if getattr(response, "surrogate_keys", None) is not None:
            self.store(request, response, started=started, cacheable=cacheable)
        return response

    def cached(self, request) -> HttpResponse | None:
        # One round trip for the page and its keys' versions when this process has seen
        # the page before (and so knows its keys); two the first time.
        page_key = page_cache_key(request)
        known = self.known_keys.get(page_key, ())
        found = cache.get_many([page_key, *known])
        if (entry := found.pop(page_key, None)) is None:
            return None
        status, headers, content, keys, versions = entry
        if keys != known:
            if len(self.known_keys) >= KNOWN_PAGES:
                self.known_keys.clear()
            self.known_keys[page_key] = keys
            found = cache.get_many(keys) if keys else {}
        if tuple(found.get(key) for key in keys) != versions:
            return None
        response = HttpResponse(content, status=status, headers=headers)
        return _conditional(request, response) if status == 200 else response

    def store(self, request, response: HttpResponse, *, started: float, cacheable: bool) -> None:
        keep = (
            cacheable
            and getattr(response, "public_page", False)
            and response.status_code in CACHED_STATUSES
            and not response.streaming
            and not response.cookies
        )
        if not (keep or settings.VARNISH_URL):
            return
        keys = tuple(version_key(key) for key in sorted(response.surrogate_keys))
        found = cache.get_many(keys) if keys else {}
        if any(version > started - SETTLE_SECONDS for version in found.values()):
            # Changed a moment ago: this render may predate the change. Let the edge keep
            # it only briefly, and the page cache not at all.
            patch_cache_control(response, s_maxage=int(SETTLE_SECONDS))
            return
        if keep:
            headers = {
                name: value
                for name, value in response.items()
                if name.lower() not in SKIPPED_HEADERS
            }
            versions = tuple(found.get(key) for key in keys)
            entry = (response.status_code, headers, response.content, keys, versions)
            cache.set(page_cache_key(request), entry, settings.PUBLIC_CACHE_SECONDS)
