"""How a webhook leaves the building: which URLs may receive one, which addresses we
refuse to call (against SSRF), and a single HTTPS POST that never follows redirects.

One function, ``check()``, decides where webhooks may go, at registration (through
``url_problem``, for the API and the admin) and again at every attempt. At send time the
host name is looked up once, every address it resolves to is checked, and the
connection is made to a checked address: a second lookup could answer differently
(DNS rebinding) and reach our own network."""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import logging
import re
import socket
import ssl
import threading
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger("newsroom.webhooks")

TIMEOUT_SECONDS = 5
# Verifies the receiver's certificate for the URL's host name, whatever address we
# connect to; webhooks never go through HTTP(S)_PROXY (a proxy would look the name up
# again itself).
TLS_CONTEXT = ssl.create_default_context()

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

PUBLIC_ONLY = "webhooks are only sent to public addresses."
# 100.64.0.0/10 (carrier-grade NAT) is neither private nor global to the ipaddress module.
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# As browsers read hosts (WHATWG URL): a host whose last label is a number is an IPv4
# address in some spelling (2130706433, 0x7f.1, 0177.0.0.1), which getaddrinfo accepts.
_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)", re.IGNORECASE)


class Refused(ValueError):
    """Why a URL may not receive webhooks, in words for whoever entered it."""


@dataclass(frozen=True)
class Target:
    """Where one webhook goes: the URL's parts and the addresses checked for its host."""

    tls: bool
    host: str  # an ASCII host name or an IP address, as the receiver expects it (SNI, Host)
    port: int
    path: str  # with the query
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == (443 if self.tls else 80) else f"{host}:{self.port}"


def check(url: str, *, resolve: bool = True) -> Target:
    """Where ``url`` sends webhooks to, or ``Refused`` saying why it may not: https only
    (http in development), no credentials or odd host spellings, and unless
    ``WEBHOOKS_ALLOW_PRIVATE`` every address the host resolves to must be public.
    With ``resolve=False`` host names are not looked up (nor their addresses checked)."""
    target = _parse(url)
    try:
        literal = ipaddress.ip_address(target.host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses: tuple[str, ...] = (target.host,)
    elif not resolve:
        return target
    else:
        try:
            found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise Refused(f"The host {target.host} cannot be resolved.") from None
        addresses = tuple(dict.fromkeys(str(info[4][0]) for info in found))
    if not settings.WEBHOOKS_ALLOW_PRIVATE:
        for address in addresses:
            if why := why_not_public(ipaddress.ip_address(address)):
                if literal is not None:
                    raise Refused(f"{target.host} is {why}; {PUBLIC_ONLY}")
                raise Refused(f"{target.host} resolves to {address}, {why}; {PUBLIC_ONLY}")
    return replace(target, addresses=addresses)


def _parse(url: str) -> Target:
    """The URL's parts, its scheme and spelling checked; no addresses yet."""
    if any(c <= " " or c in "\\\x7f" for c in url):
        raise Refused("Enter a valid URL.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused("Enter a valid URL.") from None
    scheme = parts.scheme.lower()
    if scheme == "http" and not settings.WEBHOOKS_ALLOW_HTTP:
        raise Refused("Use an https:// URL: payloads are only sent over HTTPS.")
    if scheme not in ("http", "https"):
        raise Refused("Use an https:// URL.")
    if "@" in parts.netloc:
        raise Refused("Leave out the user name and password: every payload is signed instead.")
    host = parts.hostname or ""
    if not host:
        raise Refused("Enter a valid URL.")
    if host.endswith("."):
        raise Refused("Leave out the dot at the end of the host name.")
    if ":" not in host:  # not an IPv6 address
        if _NUMERIC_LABEL.fullmatch(host.rsplit(".", 1)[-1]) and not _is_ipv4(host):
            raise Refused("Write an IP address as four decimal numbers, e.g. 203.0.113.7.")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise Refused("Enter a valid URL.") from None
    tls = scheme == "https"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(tls, host, port or (443 if tls else 80), path, ())


def _is_ipv4(host: str) -> bool:
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return True


def why_not_public(address: Address) -> str:
    """What kind of non-public address this is (“a loopback address”); empty if public.
    An IPv6 address carrying an IPv4 one (mapped, compatible, 6to4, Teredo, NAT64) is
    judged by the IPv4 address too."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if address.teredo:
            embedded = address.teredo[1]
        elif address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded and (why := why_not_public(embedded)):
            return f"{why} ({embedded}, written as IPv6)"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address, where cloud metadata services answer"
    if address.is_multicast:
        return "a multicast address"
    if address in _SHARED:
        return "a shared (carrier-grade NAT) address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private or getattr(address, "is_site_local", False):
        return "a private address"
    if not address.is_global:
        return "not a public address"
    return ""


def url_problem(url: str) -> str:
    """Why ``url`` may not be registered to receive webhooks; empty if it may. Host names
    are looked up only when private addresses are refused (there is nothing to check
    otherwise, and development machines may not resolve partners' names)."""
    try:
        check(url, resolve=not settings.WEBHOOKS_ALLOW_PRIVATE)
    except Refused as exc:
        return str(exc)
    return ""


class _PinnedConnection(http.client.HTTPConnection):
    """HTTP, or HTTPS with the certificate verified for the host name (SNI), over a
    connection to one of the target's checked addresses: the name is never looked up
    again. Redirects are answers, never followed (http.client does not follow them):
    following one would re-send the payload somewhere the partner never registered."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.target = target
        self.timed_out = False

    def hang_up(self) -> None:
        """End the exchange wherever it is (``post``'s deadline): a receiver that sends
        its answer a byte at a time never waits out the per-read timeout."""
        self.timed_out = True
        if self.sock is not None:
            with contextlib.suppress(OSError):  # already closed
                self.sock.shutdown(socket.SHUT_RDWR)

    def connect(self) -> None:
        error: OSError = OSError(f"no address for {self.target.host}")
        for address in self.target.addresses:
            try:
                self.sock = socket.create_connection((address, self.port), self.timeout)
                break
            except OSError as exc:
                error = exc
        else:
            raise error
        if self.timed_out:
            raise TimeoutError("timed out")  # the deadline passed while connecting
        if self.target.tls:
            self.sock = TLS_CONTEXT.wrap_socket(self.sock, server_hostname=self.target.host)


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST once; returns the status code, or None and what went wrong."""
    try:
        target = check(url)
    except Refused as exc:
        logger.warning("Webhook to %s not sent: %s", url, exc)
        return None, f"Not sent: {exc}"[:500]
    connection = _PinnedConnection(target, TIMEOUT_SECONDS)
    # The timeout bounds each read; this, the whole attempt (and so how long the
    # delivery's row stays locked and a worker busy).
    deadline = threading.Timer(TIMEOUT_SECONDS, connection.hang_up)
    deadline.start()
    try:
        connection.request(
            "POST", target.path, body=body, headers={"Host": target.host_header, **headers}
        )
        return connection.getresponse().status, ""
    except (OSError, ValueError, http.client.HTTPException) as exc:
        if connection.timed_out:
            return None, f"timed out: no answer within {TIMEOUT_SECONDS:g} s"
        # Timeouts, refusals, resets, TLS failures, garbled answers.
        return None, (str(exc) or type(exc).__name__)[:500]
    finally:
        deadline.cancel()
        connection.close()
