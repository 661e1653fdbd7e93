"""Every API error as RFC 9457 problem details, with field messages where there are any.

DRF's errors come through ``exception_handler``; what Django answers itself under
``/api/`` (an unknown address, too many parameters, a crash) through ``problem_page``,
from ``RequestInputMiddleware`` and ``server_error`` (the project's ``handler500``).
"""

import json

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from newsroom import logs

API_PREFIX = "/api/"
PROBLEM_TYPE = "https://newsroom.example/problems/"
CONTENT_TYPE = "application/problem+json"
TITLES = {
    400: "Invalid request",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request too large",
    415: "Unsupported media type",
    428: "Precondition required",
    429: "Too many requests",
    500: "Server error",
    503: "Service unavailable",
}
# For the errors Django answers itself, which come without a message of their own.
DETAILS = {
    400: "The request could not be read.",
    403: "Not allowed.",
    404: "There is nothing at this address.",
    500: "Something went wrong on our side. It has been logged; quote the request id "
    "if you report it.",
}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The article changed since you read it; fetch it again and retry."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Send If-Match with the ETag of the version you are changing."
    default_code = "precondition_required"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the article's state."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _body(status_code: int, detail: str, code: str, errors) -> dict:
    body = {
        "type": PROBLEM_TYPE + (code or str(status_code)),
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def problem(
    status_code: int, detail: str, *, code: str = "", errors=None, headers=None
) -> Response:
    response = Response(
        _body(status_code, detail, code, errors), status=status_code, headers=headers
    )
    response.content_type = CONTENT_TYPE
    return response


def problem_page(
    status_code: int, detail: str = "", *, code: str = "", errors=None, **extra
) -> HttpResponse:
    """A problem answered outside DRF (middleware, error handlers): no renderer, no
    content negotiation, nothing that could fail on the way out."""
    body = _body(status_code, detail or DETAILS.get(status_code, "Error."), code, errors)
    return HttpResponse(
        json.dumps({**body, **extra}), status=status_code, content_type=CONTENT_TYPE
    )


def server_error(request) -> HttpResponse:
    """``handler500``: the API's crash as a problem carrying the request id (and no
    traceback); the site's as its HTML page. Reads nothing from the database."""
    if is_api(request):
        # RequestContextMiddleware gives every request its id before anything can fail.
        request_id = getattr(request, "request_id", None) or logs.current_request_id()
        return problem_page(500, code="server_error", request_id=request_id)
    return defaults.server_error(request)


def _first_message(data) -> str:
    if isinstance(data, dict):
        for value in data.values():
            return _first_message(value)
    if isinstance(data, list) and data:
        return _first_message(data[0])
    return str(data)


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: Django logs it, and server_error answers a 500 problem
    headers = {
        k: v
        for k, v in response.headers.items()
        if k in ("Retry-After", "WWW-Authenticate", "Allow")
    }
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return problem(
            400,
            "Some fields are invalid: "
            + "; ".join(f"{k}: {_first_message(v)}" for k, v in errors.items()),
            code="invalid",
            errors=errors,
            headers=headers,
        )
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else ""
    return problem(
        response.status_code,
        _first_message(detail),
        code=code if isinstance(code, str) else "",
        headers=headers,
    )
