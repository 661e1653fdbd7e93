"""Rate limits per API key and per anonymous client, with standard rate-limit headers.

Counts live in the default cache: Redis when REDIS_URL is set, so every worker
process shares them.
"""

from rest_framework.throttling import SimpleRateThrottle


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
    """Clients without a key, by IP address."""

    scope = "anonymous"

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
