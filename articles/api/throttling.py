"""Rate limits per API key and per anonymous client, with standard rate-limit headers,
and a limit on failed key attempts per client address (no guessing keys).

Counts live in the default cache: Redis when REDIS_URL is set, so every worker
process shares them. Clients are told apart by ``newsroom.clients.client_key``: the
address (``X-Forwarded-For`` believed only as far as our own proxies wrote it), or an
IPv6 client's /64.
"""

import logging
import math

from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle

from newsroom.clients import client_key

logger = logging.getLogger("newsroom.security")


class RateLimitHeadersMixin:
    """Tell the client its budget in RateLimit-* headers, on every response of every API view.

    The headers go on ``view.headers``, which DRF copies onto whatever response the view
    finally gives: a 200, a 304, an error, or the 429 itself.
    """

    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        headers = getattr(view, "headers", None)
        if self.rate is not None and getattr(self, "key", None) and headers is not None:
            remaining = max(self.num_requests - len(self.history), 0)
            reset = int(self.duration - (self.now - self.history[-1])) if self.history else 0
            headers.update(
                {
                    "RateLimit-Limit": str(self.num_requests),
                    "RateLimit-Remaining": str(remaining),
                    "RateLimit-Reset": str(max(reset, 0)),
                    "RateLimit-Policy": f"{self.num_requests};w={self.duration}",
                }
            )
        return allowed


class AnonymousThrottle(RateLimitHeadersMixin, SimpleRateThrottle):
    """Clients without a key, by address."""

    scope = "anonymous"

    def get_ident(self, request):
        return client_key(request)

    def get_cache_key(self, request, view):
        if getattr(request, "auth", None) is not None or request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class KeyThrottle(RateLimitHeadersMixin, SimpleRateThrottle):
    """Each API key (or signed-in staff user) on its own budget."""

    scope = "key"

    def get_cache_key(self, request, view):
        key = getattr(request, "auth", None)
        if key is not None and hasattr(key, "prefix"):
            ident = f"key:{key.prefix}"
        elif request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class KeyFailureLimit(SimpleRateThrottle):
    """Failed API key attempts per client address (rate ``key_failures``, API_KEY_FAILURES).

    Counted in fixed windows with an atomic increment, so parallel guesses from many
    workers cannot slip past the limit. Once an address has used up its failures in a
    window, every key it sends is refused with a 429 until the window ends, a correct
    key included: otherwise a guess that hit would show itself by being let through.
    Checking costs one cache read and no database query.
    """

    scope = "key_failures"
    cache_format = "throttle_%(scope)s_%(ident)s_%(window)d"

    def __init__(self, request):
        super().__init__()
        self.address = client_key(request)
        self.now = self.timer()

    def get_rate(self):
        # No rate configured: no limit (e.g. a test that patches the rates).
        return self.THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request=None, view=None):
        window = int(self.now // self.duration)
        return self.cache_format % {"scope": self.scope, "ident": self.address, "window": window}

    def wait(self) -> int:
        return math.ceil(self.duration - self.now % self.duration)

    def check(self) -> None:
        """Refuse (429, with Retry-After) an address that has failed too often."""
        if self.rate is None:
            return
        if (self.cache.get(self.get_cache_key()) or 0) >= self.num_requests:
            raise exceptions.Throttled(
                wait=self.wait(),
                detail="Too many failed API key attempts from your address.",
            )

    def failed(self) -> None:
        """Count one failed attempt from this address."""
        if self.rate is None:
            return
        cache_key = self.get_cache_key()
        self.cache.add(cache_key, 0, timeout=self.duration + 1)
        try:
            count = self.cache.incr(cache_key)
        except ValueError:  # the window's count expired between add() and incr()
            self.cache.set(cache_key, 1, timeout=self.duration + 1)
            count = 1
        if count == self.num_requests:
            logger.warning(
                "%s failed API key attempts from %s: refusing its keys for %s s",
                count,
                self.address,
                self.wait(),
            )
