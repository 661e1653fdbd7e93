"""Per-request context and hostile input, before any view runs.

``RequestContextMiddleware`` runs first, so every log line of the request (including
other middleware's) carries its id, and routing is decided before the session is even
read. ``RequestInputMiddleware`` makes any query string safe to read, and
``CharsetGuard`` (around the WSGI application) any ``Content-Type`` safe to build a
request from.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import QueryDict
from django.utils.http import MAX_HEADER_LENGTH, parse_header_parameters

from articles.api import problems
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


# The one character a decoded query string can carry that a database cannot store:
# PostgreSQL's text refuses U+0000 (undecodable bytes already arrive as U+FFFD).
UNSTORABLE = "\x00"
UNSTORABLE_MESSAGE = "Null characters are not allowed."


def readable_charset(name: str) -> bool:
    """Whether Django can read parameters in ``name`` as it does (bytes to text, bad
    bytes replaced): not ``rot13`` (a codec, not a text encoding), nor ``idna`` (which
    cannot replace bad bytes)."""
    try:
        b"\xff%".decode(name, "replace")
    except (LookupError, ValueError):
        return False
    return True


class CharsetGuard:
    """WSGI, around Django's handler: a ``Content-Type`` Django cannot read parameters
    with is made readable before Django builds the request. Building it parses the
    header and reads the query string in its charset, outside every middleware and error
    handler, so ``charset=rot13`` on a GET with a query string (or a header longer than
    Django parses) was a 500 from the server itself."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        content_type = environ.get("CONTENT_TYPE", "")
        if "charset" in content_type.lower() or len(content_type) > MAX_HEADER_LENGTH:
            environ = {**environ, "CONTENT_TYPE": readable_content_type(content_type)}
        return self.application(environ, start_response)


def readable_content_type(value: str) -> str:
    """``value`` without a charset Django cannot read in; no type at all if it is too
    long for Django to parse."""
    try:
        media_type, params = parse_header_parameters(value)
    except ValueError:
        return ""
    if "charset" in params and not readable_charset(params["charset"]):
        return media_type
    return value


def unstorable_parameters(query: QueryDict) -> list[str]:
    return [
        key
        for key, values in query.lists()
        if UNSTORABLE in key or any(UNSTORABLE in value for value in values)
    ]


def without_unstorable(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(
            key.replace(UNSTORABLE, ""), [value.replace(UNSTORABLE, "") for value in values]
        )
    cleaned._mutable = False
    return cleaned


class RequestInputMiddleware:
    """No query string reaches a view in a form it cannot read, in one place for every
    view (the site's, the admin's, the API's filters and paginators):

    - a declared charset that reading the parameters would choke on (``charset=rot13``,
      ``charset=idna``): ignored, as Django ignores charsets it does not know;
    - a parameter holding U+0000, which PostgreSQL cannot store or compare: the API
      answers 400 naming it, the site and admin read it without the character (a search
      for ``%00`` is a search for nothing);
    - too many parameters (``DATA_UPLOAD_MAX_NUMBER_FIELDS``): 400, as Django answers.

    And under ``/api/`` no error is HTML: what Django answers itself there (an unknown
    address, a refused request) becomes a problem of the same status.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.refuse(request)
        except Exception as exc:  # answered as Django answers any view's
            response = response_for_exception(request, exc)
        if response is None:
            response = self.get_response(request)
        if problems.is_api(request) and response.status_code >= 400:
            response = as_problem(response)
        return response

    def refuse(self, request):
        if request.encoding and not readable_charset(request.encoding):
            request.encoding = None
        if bad := unstorable_parameters(request.GET):
            if problems.is_api(request):
                errors = {key: [UNSTORABLE_MESSAGE] for key in bad}
                detail = "Some parameters are invalid: " + "; ".join(
                    f"{key}: {UNSTORABLE_MESSAGE}" for key in bad
                )
                return problems.problem_page(400, detail, code="invalid", errors=errors)
            request.GET = without_unstorable(request.GET)
        return None


def as_problem(response):
    """An HTML error page from under ``/api/`` as a problem, keeping the headers a client
    acts on; anything else as it is (and, in development, Django's debug page of a crash)."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return response
    if settings.DEBUG and response.status_code == 500:
        return response
    problem = problems.problem_page(response.status_code)
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if header in response:
            problem[header] = response[header]
    return problem
