"""A Redis cache that degrades to cache misses when Redis is down.

Every server shares one Redis for the cache, sessions (``cached_db``: the database stays
the record) and rate-limit counters. When Redis cannot be reached the app keeps serving:
reads miss, writes are dropped, ``add`` reports "not added" and ``incr`` counts from
zero, so rate limits fail *open* (a visitor is never locked out because Redis is down;
login guessing stays throttled by django-axes, which counts in the database). After a
failure the process stops trying Redis for ``RETRY_SECONDS`` so each request does not
wait for a connect timeout; /healthz reports the cache as ``degraded`` meanwhile.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        options.setdefault("health_check_interval", 30)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def is_down(self):
        return time.monotonic() < self._down_until

    def _guard(self, fallback, method, *args, **kwargs):
        if self.is_down:
            return fallback
        try:
            return method(*args, **kwargs)
        except _DOWN as exc:
            with self._lock:
                if not self.is_down:
                    logger.warning("cache: Redis unreachable (%s); serving without it", exc)
                self._down_until = time.monotonic() + RETRY_SECONDS
            return fallback

    def ping(self):
        """True when Redis answers now (used by /healthz; ignores the back-off)."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except _DOWN:
            self._down_until = time.monotonic() + RETRY_SECONDS
            return False

    def raw_client(self):
        """The redis-py client, or None while Redis is considered down."""
        if self.is_down:
            return None
        return self._cache.get_client(write=True)

    def mark_down(self):
        self._down_until = time.monotonic() + RETRY_SECONDS

    def get(self, key, default=None, version=None):
        return self._guard(default, super().get, key, default, version)

    def set(self, key, value, timeout=None, version=None):
        return self._guard(None, super().set, key, value, timeout, version)

    def add(self, key, value, timeout=None, version=None):
        return self._guard(False, super().add, key, value, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._guard(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guard({}, super().get_many, keys, version)

    def set_many(self, data, timeout=None, version=None):
        return self._guard([], super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guard(None, super().delete_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._guard(delta, super().incr, key, delta, version)

    def clear(self):
        return self._guard(False, super().clear)
