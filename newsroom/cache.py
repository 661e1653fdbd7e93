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


class RedisCache(django_redis.RedisCache):
    _logged_at = float("-inf")

    @cached_property
    def _cache(self):
        return RedisCacheClient(self._servers, **self._options)

    def _unreachable(self, operation: str, error: Exception):
        now = time.monotonic()
        if now - RedisCache._logged_at >= LOG_EVERY_SECONDS:
            RedisCache._logged_at = now
            logger.error("Redis unreachable (%s): %s; serving without the cache", operation, error)

    def add(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("add", error)
            return False

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            self._unreachable("get", error)
            return default

    def set(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("set", error)

    def touch(self, key, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            self._unreachable("delete", error)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            self._unreachable("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as error:
            self._unreachable("has_key", error)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            self._unreachable("incr", error)
            return delta

    def set_many(self, data, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("set_many", error)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNREACHABLE as error:
            self._unreachable("delete_many", error)
            return False

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as error:
            self._unreachable("clear", error)
            return False
