"""How a webhook leaves the building: which URLs may receive one, which addresses we
refuse to call (against SSRF), and a single HTTPS POST that never follows redirects."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

TIMEOUT_SECONDS = 5


def url_problem(url: str) -> str:
    """Why ``url`` may not receive webhooks; empty if it may."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return "Enter a valid URL."
    if scheme == "https":
        return ""
    if scheme == "http" and settings.WEBHOOKS_ALLOW_HTTP:
        return ""
    if scheme == "http":
        return "Use an https:// URL: payloads are only sent over HTTPS."
    return "Use an https:// URL."


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a success: following it would re-send the payload
    somewhere the partner never registered (and urllib would turn the POST into a GET)."""

    def redirect_request(self, *args, **kwargs):
        return None


# Only HTTP(S): no file:, ftp: or data: handlers, whatever URL reaches us.
_opener = urllib.request.OpenerDirector()
for _handler in (
    urllib.request.ProxyHandler(),
    urllib.request.HTTPHandler(),
    urllib.request.HTTPSHandler(),
    urllib.request.HTTPDefaultErrorHandler(),
    urllib.request.HTTPErrorProcessor(),
    _NoRedirects(),
):
    _opener.add_handler(_handler)


def address_problem(url: str) -> str:
    """Why ``url``'s host must not be called: a loopback, private or otherwise non-public
    address (a partner must not make us call our own network); empty if it may."""
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return ""
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return f"the host {host} cannot be resolved."
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            return f"{host} resolves to {address}, which is not a public address."
    return ""


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST once; returns the status code, or None and what went wrong."""
    if problem := url_problem(url) or address_problem(url):
        return None, f"Not sent: {problem}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked above
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, ""
    except urllib.error.URLError as exc:
        return None, str(exc.reason)[:500]
    except (OSError, ValueError, http.client.HTTPException) as exc:
        # Timeouts, resets, TLS failures, garbled answers.
        return None, (str(exc) or type(exc).__name__)[:500]
