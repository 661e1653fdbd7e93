"""Answering old addresses: when no page answers a public GET or HEAD (a 404), one
indexed query looks the path up in ``Redirect`` and the reader is sent, in one hop,
to where its target is now (the query string kept).

Pages that answer never pay for it: the lookup runs only on a 404, and never for the
admin, the API, static files, uploads or health checks. A redirect to an article
readers can no longer see answers what the article's own address answers (410 Gone
once withdrawn, 404 before publication), never a 301 to an error.

A 301 is tagged with the redirect's key and its target's (``article-12``), so the
edge cache keeps it and drops it when the redirect changes or its target moves
(``on_redirect_changed``; a slug change purges
``article-…``/``section-…`` already).
"""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve

from articles.models import Redirect
from articles.models.redirects import MAX_PATH, TARGETS
from articles.site import purging
from articles.site.caching import article_page_keys, is_anonymous, tag_response

logger = logging.getLogger(__name__)

# Never redirected from: what is not a public page, and the admin's own ground.
NOT_PUBLIC = ("/admin/", "/api/", "/health/")


def is_public_path(path: str) -> bool:
    """Whether ``path`` is on the public site (where redirects may start)."""
    reserved = (*NOT_PUBLIC, settings.STATIC_URL, settings.MEDIA_URL)
    return not path.startswith(tuple(p if p.startswith("/") else "/" + p for p in reserved))


def could_be_stored(path: str) -> bool:
    """Whether ``path`` could be a stored redirect's old address: not too long, and no
    control character (a NUL in a query would be an error on PostgreSQL, a 500)."""
    return len(path) <= MAX_PATH and not any(ord(ch) < 32 or ord(ch) == 127 for ch in path)


def candidates(path: str) -> list[str]:
    """``path`` and its twin with or without the trailing slash (an old CMS may have
    had either); the exact one wins."""
    twin = path[:-1] if path.endswith("/") else path + "/"
    return [path, twin] if len(twin) > 1 else [path]


def find(path: str) -> Redirect | None:
    """The redirect from ``path``, with its target: one query on the unique index."""
    found = {
        r.old_path: r
        for r in Redirect.objects.select_related(*TARGETS).filter(old_path__in=candidates(path))
    }
    return next((found[p] for p in candidates(path) if p in found), None)


def answer(request, redirect: Redirect):
    """The response for a reader who asked for ``redirect.old_path``, or None for the
    404 they already have."""
    article = redirect.article
    if article is not None and not article.is_published:
        if not article.is_withdrawn:
            return None
        response = render(request, "articles/withdrawn.html", {"article": article}, status=410)
        tag_response(response, article_page_keys(article), public=is_anonymous(request))
        return response
    location = redirect.target_path()
    if location.split("?")[0] in candidates(request.path_info):
        return None  # never a loop, whatever is stored
    if query := request.META.get("QUERY_STRING", ""):
        location += ("&" if "?" in location else "?") + query
    kind = HttpResponsePermanentRedirect if redirect.permanent else HttpResponseRedirect
    response = kind(location)
    tag_response(response, redirect.surrogate_keys(), public=is_anonymous(request))
    return response


class RedirectMiddleware:
    """After the view: a 404 for a GET or HEAD on the public site becomes the redirect
    stored for its path, if there is one.

    Placed just below ``PageCacheMiddleware``, which thus sees (and may keep) the
    answer and its keys; above the session, CSRF and common middleware, whose own
    answers (an added slash) come first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code != 404
            or request.method not in ("GET", "HEAD")
            or not is_public_path(request.path_info)
        ):
            return response
        if not could_be_stored(request.path_info):
            return response  # no redirect starts there, and the database is not asked
        redirect = find(request.path_info)
        if redirect is None:
            return response
        return answer(request, redirect) or response


def live_status(path: str, *, like: WSGIRequest | None = None) -> int | None:
    """The status a reader would get at ``path`` from a page (not from a redirect):
    None when no page answers it (no route, or the view says 404). Used by the admin to
    refuse a redirect from an address that is live. ``like`` lends its host."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
    }
    if like is not None:
        for name in ("HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "wsgi.url_scheme"):
            if name in like.META:
                environ[name] = like.META[name]
    probe = WSGIRequest(environ)
    probe.user = AnonymousUser()
    try:
        response = match.func(probe, *match.args, **match.kwargs)
    except Http404:
        return None
    except PermissionDenied:
        return 403
    except Exception:  # a page that fails there still answers: never redirected from
        logger.exception("Checking %s for a page failed", path)
        return 500
    return None if response.status_code == 404 else response.status_code


def on_redirect_changed(sender, instance, **kwargs) -> None:
    """``post_save``/``post_delete`` of a redirect: its cached answers (at the edge, or
    in the page cache) are dropped once the change is committed, and so are its target's
    pages, among them the page once cached at the old address, whichever door changed
    the slug (a save from the shell notifies no workflow)."""
    keys = instance.surrogate_keys()
    transaction.on_commit(lambda: _purge(keys))


def _purge(keys: set[str]) -> None:
    try:
        purging.purge(keys)
    except Exception:  # a cache out of reach never fails the change; answers expire
        logger.exception("Could not purge %s", " ".join(sorted(keys)))
