"""Public pages: cached, with ETag and Last-Modified, cleared the moment content changes.

One number, the site's *content generation*, changes whenever the workflow
reports a change (publish, edit, correct, unpublish). Cached pages and
validators are keyed by it, so a reader never sees a stale label or headline,
however many processes serve the site (the generation lives in the shared cache).
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import condition

GENERATION_KEY = "public:generation"


def generation() -> float:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = time.time()
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return value


def bump_generation(**kwargs) -> None:
    """Receiver for ``workflow.article_changed``: every public page is stale from now on."""
    cache.set(GENERATION_KEY, max(time.time(), generation() + 0.001), timeout=None)


def _etag(request, *args, **kwargs) -> str:
    key = f"{generation()}|{request.get_full_path()}|{request.user.is_authenticated}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _last_modified(request, *args, **kwargs):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(int(generation()), tz=UTC)


def public_page(view):
    """Cache a public GET view's response and answer conditional requests with 304."""

    @wraps(view)
    def cached(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = f"public:page:{_etag(request)}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code in (200, 404, 410) and not response.streaming:
                if hasattr(response, "render"):
                    response.render()
                cache.set(key, response, settings.PUBLIC_CACHE_SECONDS)
        patch_cache_control(response, public=True, max_age=60)
        response.headers.setdefault("Last-Modified", http_date(int(generation())))
        return response

    return condition(etag_func=_etag, last_modified_func=_last_modified)(cached)
