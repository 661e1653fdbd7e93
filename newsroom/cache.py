"""Django's Redis cache, with one Redis client per connection pool instead of one per call,
that keeps the site up when Redis is down.

Django's ``RedisCacheClient.get_client()`` builds a new ``redis.Redis`` around the
pool on every cache operation; building one costs more than a ``GET`` on loopback
(redis-py copies its table of response callbacks each time). A client over a pool is
safe to share between threads (redis-py's documentation), so one is kept per pool.
The page cache's hit path is two cache operations, so this halves its Redis cost.

Redis down (or too slow: the settings give it short socket timeouts) must not take the
site and the API down with it: every operation that fails to reach Redis is logged (at
most once a minute per process) and answers as an empty cache would — reads miss,
writes are dropped, counters start again. Pages are rendered afresh, the navigation
is read from the database, rate limits and failed-key counts are not enforced until
Redis is back, and ``/health/`` reports the cache as down.
"""

import functools
import logging
import time

from django.core.cache.backends import redis as django_redis
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
LOG_EVERY_SECONDS = 60


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


def _without_redis(method, answer):
    """``method`` of Django's RedisCache, answering ``answer(*args, **kwargs)`` (what an
    empty cache would) when Redis cannot be reached."""

    @functools.wraps(method)
    def served(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            self._unreachable(method.__name__, error)
            return answer(*args, **kwargs)

    return served


def _nothing(*args, **kwargs):
    return None


def _no(*args, **kwargs):
    return False


Base = django_redis.RedisCache


class RedisCache(Base):
    _logged_at = float("-inf")

    @cached_property
    def _cache(self):
        return RedisCacheClient(self._servers, **self._options)

    def _unreachable(self, operation: str, error: Exception):
        now = time.monotonic()
        if now - RedisCache._logged_at >= LOG_EVERY_SECONDS:
            RedisCache._logged_at = now
            logger.error("Redis unreachable (%s): %s; serving without the cache", operation, error)

    # Reads miss, writes are dropped, counters start again.
    get = _without_redis(Base.get, lambda key, default=None, version=None: default)
    get_many = _without_redis(Base.get_many, lambda *args, **kwargs: {})
    has_key = _without_redis(Base.has_key, _no)
    add = _without_redis(Base.add, _no)
    set = _without_redis(Base.set, _nothing)
    set_many = _without_redis(Base.set_many, lambda data, *args, **kwargs: list(data))
    touch = _without_redis(Base.touch, _no)
    delete = _without_redis(Base.delete, _no)
    delete_many = _without_redis(Base.delete_many, _no)
    incr = _without_redis(Base.incr, lambda key, delta=1, version=None: delta)
    clear = _without_redis(Base.clear, _no)
