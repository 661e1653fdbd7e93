"""Who is calling, by network address: the one rule the rate limits, the API key
failure counter, the admin's sign-in lockout (django-axes) and the logs share.

``X-Forwarded-For`` is written by whoever sends the request, so it is believed only as
far as our own proxies wrote it. Each proxy appends the address it received the request
from; with ``NUM_PROXIES`` proxies in front of the app, the client is the
``NUM_PROXIES``-th address from the right, and anything to its left is the client's own
say-so. With ``NUM_PROXIES = 0`` (the default: nothing in front) the header is ignored
and the address is the connection's, ``REMOTE_ADDR``.

What the limits count by is ``client_key``: the address, except that an IPv6 client is
counted by its network (``CLIENT_IPV6_PREFIX``, a /64 by default). A subscriber is given
at least a /64, and one host can pick any of its 2^64 addresses: counted per address, an
IPv6 client could use a fresh counter for every request.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The caller's IP address, trusting ``X-Forwarded-For`` for ``NUM_PROXIES`` hops only."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "NUM_PROXIES", 0)
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if not hops:
        return remote
    # Fewer hops than proxies: the request skipped a proxy, and the leftmost hop is
    # the address the first proxy it met saw (as Django REST framework reads it).
    candidate = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # Not an address (a misconfigured proxy): the connection's is at least real, and
        # an arbitrary string must never reach a cache key or an address column.
        return remote


def client_key(request) -> str:
    """What the rate limits and lockouts count by: ``client_address``, with an IPv6
    address replaced by the first address of its ``CLIENT_IPV6_PREFIX`` network (still
    an address, as django-axes stores it in an address column)."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address  # no address at all (a test client without REMOTE_ADDR)
    if ip.version == 4:
        return address
    if ip.ipv4_mapped is not None:  # ::ffff:203.0.113.7 is that IPv4 client
        return str(ip.ipv4_mapped)
    prefix = getattr(settings, "CLIENT_IPV6_PREFIX", 64)
    return str(ipaddress.IPv6Network((ip, prefix), strict=False).network_address)
