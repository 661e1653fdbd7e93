"""Who is calling, by network address: the one rule the rate limits, the API key
failure counter, the admin's sign-in lockout (django-axes) and the logs share.

``X-Forwarded-For`` is written by whoever sends the request, so it is believed only as
far as our own proxies wrote it. Each proxy appends the address it received the request
from; with ``NUM_PROXIES`` proxies in front of the app, the client is the
``NUM_PROXIES``-th address from the right, and anything to its left is the client's own
say-so. With ``NUM_PROXIES = 0`` (the default: nothing in front) the header is ignored
and the address is the connection's, ``REMOTE_ADDR``.
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
