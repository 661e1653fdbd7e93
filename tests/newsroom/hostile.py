"""Shared by the hostile-request tests: requests as a stranger sends them, and the
one assertion every answer must pass."""

from django.core.cache import cache

WEBHOOKS = "/api/v1/webhooks/"
NUL_MESSAGE = "Null characters are not allowed."


def get(client, url: str):
    """A GET as a stranger sends it: nothing cached from the last one, no rate limit hit
    (the anonymous limit would otherwise answer most of the sweep), no exception raised
    into the test but the answer Django gives."""
    cache.clear()
    client.raise_request_exception = False
    return client.get(url)


def send(client, method: str, url: str, body, content_type="application/json"):
    """The body's bytes as given (``post()`` would re-encode them in the declared charset)."""
    cache.clear()
    client.raise_request_exception = False
    body = body.encode() if isinstance(body, str) else body
    return client.generic(method.upper(), url, body, content_type=content_type)


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code, response.content[:300])
    if response.wsgi_request.path.startswith("/api/") and response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json", (what, response.content)
