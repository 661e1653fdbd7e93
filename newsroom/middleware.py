"""Per-request context: a request id for the logs, and which database may answer reads.

Runs first, so every log line of the request (including other middleware's) carries
its id, and routing is decided before the session is even read.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings

from newsroom import logs, routers

# A proxy's X-Request-ID is kept when it looks like an id (so one request can be
# followed from the edge to the app); anything else is replaced, never logged.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
# Editorial pages read what editors just saved: never from a replica that may lag.
EDITORIAL_PREFIXES = ("/admin/", "/preview/", "/staff-preview/")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def request_id_for(request) -> str:
    incoming = request.headers.get("X-Request-ID", "")
    return incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def is_public_read(request) -> bool:
    """Anonymous readers' and partners' reads: safe methods, no staff session, no
    editorial page. (A partner's Api-Key header is not a session: its reads are public.)"""
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(EDITORIAL_PREFIXES)
    )


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        logs.start_request(request.request_id)
        with routers.routing(public=is_public_read(request)):
            response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response
