"""The database out of reach: a clean 503 with ``Retry-After``, never a 500.

A database that cannot answer (the server gone or restarting, the connection killed,
too many connections, a statement timeout, a deadlock) raises ``OperationalError`` or
``InterfaceError``. Every request that meets one is answered ``503 Service
Unavailable`` with ``Retry-After``: the site and the admin a plain page drawn without
the database (no context processors, no template that reads a model), the API a
problem. One error line is logged, carrying the request id; no traceback is shown.

``DatabaseOutageMiddleware`` answers what a view raises (before Django's exception
signal, so the error is not reported as a crash); ``server_error`` (the project's
``handler500``) what a middleware raises (a session saved on the way out).

Nothing is half-written: each write that spans several statements runs in one
transaction (the workflow and drafting services, the admin's change form), which the
database rolls back when the connection dies.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from articles.api import problems
from newsroom import logs

logger = logging.getLogger(__name__)

UNAVAILABLE = (OperationalError, InterfaceError)
# Long enough for a restart or a failover, short enough that readers come back.
RETRY_AFTER_SECONDS = 30
DETAIL = "The service is briefly unavailable. Please try again shortly."


def is_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, UNAVAILABLE)


def unavailable(request, exc: BaseException) -> HttpResponse:
    """The 503 for ``request``, which met ``exc``; logged once."""
    # The driver's message, first line only (psycopg adds a hint on the lines below).
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    # RequestContextMiddleware gives every request its id before anything can fail.
    request_id = getattr(request, "request_id", None) or logs.current_request_id()
    logger.error(
        "Database unavailable, answered 503: %s %s (%s: %s)",
        request.method,
        request.path,
        type(exc).__name__,
        reason,
        extra={"request_id": request_id},
    )
    if problems.is_api(request):
        response = problems.problem_page(
            503,
            DETAIL,
            code="unavailable",
            request_id=request_id,
        )
    else:
        admin = request.path_info.startswith("/admin/")
        # No request, so no context processor runs (the site's reads the sections).
        context = {"admin": admin, "detail": DETAIL, "site_name": settings.SITE_NAME}
        page = render_to_string("503.html", context)
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # Our line above says it all: Django's "Service Unavailable: /path" would repeat it.
    response._has_been_logged = True
    return response


def server_error(request) -> HttpResponse:
    """``handler500``: a database out of reach met outside any view (a middleware) is a
    503 all the same; any other crash, the API's problem or the site's page."""
    if is_unavailable(exc := sys.exc_info()[1]):
        return unavailable(request, exc)
    return problems.server_error(request)


class DatabaseOutageMiddleware:
    """A view that met an unreachable database answers 503 (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_unavailable(exception):
            return unavailable(request, exception)
        return None
