"""OpenAPI descriptions drf-spectacular cannot infer on its own."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "articles.api.auth.PartnerKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Authorization: Api-Key <key>`. Create keys in the admin or with "
            "`manage.py create_api_key`; the key is shown once and stored hashed. Without a key "
            "you read published content at the anonymous rate.",
        }


# The article endpoints' parameters and ninjs item, shared by their list and detail.
NINJS_ITEM = {
    "type": "object",
    "description": "IPTC ninjs 3.1 (https://iptc.org/std/ninjs/), valid against the official "
    "schema: labels, sponsor, AI involvement, reviewer, corrections and sources in standard "
    "fields. With profile=newsroom, also the x-newsroom-* properties of our extension "
    "schema (/api/v1/ninjs/newsroom-extension.json).",
    "required": ["uri", "standard", "headlines"],
    "additionalProperties": True,
}
ARTICLE_PARAMETERS = [
    OpenApiParameter(
        "format",
        OpenApiTypes.STR,
        enum=["json", "ninjs"],
        description="ninjs returns IPTC ninjs 3.1 (same as Accept: application/ninjs+json).",
    ),
    OpenApiParameter(
        "profile",
        OpenApiTypes.STR,
        enum=["newsroom"],
        description="With ninjs: our extended profile, ninjs plus x-newsroom-* properties "
        "(also as the media type's parameter: application/ninjs+json; profile=newsroom).",
    ),
]
EXPAND = OpenApiParameter(
    "expand",
    OpenApiTypes.STR,
    enum=["body"],
    description="body: give each item its sanitised body too (ninjs: a full representation). "
    "Lists leave bodies out by default; fetch an article for its body.",
)


# -- the error contract: every operation's error answers, and the headers it sends ----------

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details: every error the API answers.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri", "description": "What kind of problem."},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "description": "What went wrong, for a person."},
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "description": "On a 400: the messages of each field (or query parameter) by "
            "name; `non_field_errors` for the request as a whole.",
        },
        "request_id": {"type": "string", "description": "On a 500: quote it if you report it."},
    },
}
RATE_HEADERS = {
    "RateLimit-Limit": "Requests allowed in the window.",
    "RateLimit-Remaining": "Requests left in the window.",
    "RateLimit-Reset": "Seconds until the window starts again.",
    "RateLimit-Policy": "The limit and its window, e.g. `600;w=60`.",
}
ERRORS = {
    400: "Invalid input: field or query-parameter messages in `errors`.",
    401: "The API key is not valid, revoked, expired, or its account disabled.",
    403: "The key (or session) may not do this.",
    404: "Nothing here, or nothing this caller may see (an unknown cursor too).",
    406: "The Accept header asks for a representation this endpoint does not give.",
    409: "The article's state does not allow it (a failed publish check, a transition "
    "not possible from its state); `detail` says why.",
    412: "The article changed since the ETag sent in If-Match: fetch it again.",
    413: "The request body is too large.",
    415: "The body's Content-Type is not one this endpoint reads.",
    428: "Send If-Match with the ETag of the version you are changing.",
    429: "Too many requests (or failed keys from this address): wait `Retry-After` seconds.",
    503: "The service is briefly unavailable (the database out of reach): retry after "
    "`Retry-After` seconds.",
}


def _header(description: str, kind: str = "string") -> dict:
    # Header values are text: a number is text of digits.
    schema = {"type": "string", "pattern": "^[0-9]+$"} if kind == "integer" else {"type": kind}
    return {"description": description, "schema": schema}


def _codes(path: str, method: str, operation: dict) -> set[int]:
    codes = {401, 403, 404, 406, 429, 503}
    if operation.get("parameters") or method in ("post", "patch"):
        codes.add(400)
    if method in ("post", "patch"):
        codes |= {413, 415}
    if path.startswith("/api/v1/articles/{id}/") and method in ("post", "patch"):
        codes |= {409, 412, 428}
    if path.startswith("/api/v1/articles/") and method == "get":
        codes.add(412)  # If-Match or If-Unmodified-Since on a read
    return codes


def document_errors(result, generator, request, public):
    """drf-spectacular post-processing hook: each operation lists every error it can
    answer, as problem+json with one shared schema, and the headers its answers carry
    (RateLimit-* always; ETag, Last-Modified and Location where they are sent;
    Retry-After on 429 and 503)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    rate = {
        name: _header(text, "integer" if "Policy" not in name else "string")
        for name, text in RATE_HEADERS.items()
    }
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "patch", "put", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, response in responses.items():
                headers = response.setdefault("headers", {})
                headers.update(rate)
                if code == "201":
                    headers["Location"] = _header("The new resource's address.")
                    if path == "/api/v1/articles/":
                        headers["ETag"] = _header("The draft's validator: send it in If-Match.")
                if path.startswith("/api/v1/articles/{id}/") and code == "200":
                    headers["ETag"] = _header("The version's validator: send it in If-Match.")
                    if method == "get":
                        headers["Last-Modified"] = _header("When readers' view last changed.")
            for code in sorted(_codes(path, method, operation)):
                headers = dict(rate)
                if code in (429, 503):
                    headers["Retry-After"] = _header("Seconds to wait.", "integer")
                responses.setdefault(
                    str(code), {"description": ERRORS[code], "content": problem, "headers": headers}
                )
            # Answered by gunicorn before the API sees the request: its own page, no problem.
            responses.setdefault(
                "414",
                {"description": "The request line (address and query) is over 4094 bytes."},
            )
            if path.startswith("/api/v1/articles/") and method == "get":
                responses.setdefault(
                    "304",
                    {
                        "description": "Not modified since the ETag in If-None-Match (or "
                        "If-Modified-Since): use your copy.",
                        "headers": {"ETag": _header("The unchanged validator.")},
                    },
                )
    _lifecycle_links(result.get("paths", {}))
    return result


def _lifecycle_links(paths: dict) -> None:
    """OpenAPI links along an article's life, which schemathesis's stateful phase
    follows: a draft filed (201) is patched with the ETag it came with, then submitted."""
    article = {"id": "$response.body#/id"}
    patch = {
        "operationId": "articles_partial_update",
        "parameters": article | {"header.If-Match": "$response.header.ETag"},
        "description": "Change the draft, sending back its ETag.",
    }
    submit = {
        "operationId": "articles_transitions_create",
        "parameters": article,
        "requestBody": {"transition": "submit"},
        "description": "Submit the draft for review.",
    }
    created = paths.get("/api/v1/articles/", {}).get("post", {}).get("responses", {}).get("201")
    if created is not None:
        created["links"] = {"UpdateDraft": patch, "SubmitDraft": submit}
    patched = paths.get("/api/v1/articles/{id}/", {}).get("patch", {})
    if (updated := patched.get("responses", {}).get("200")) is not None:
        updated["links"] = {"UpdateAgain": patch, "SubmitDraft": submit}
