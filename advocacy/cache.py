"""A Redis cache that degrades to "no cache" when Redis is down, instead of failing the request.

Wagtail and Django read the cache on every page (site root paths, totals), so with the stock
backend a Redis outage becomes a 500 for every supporter. Here a failed read is a miss, a failed
write is skipped, and after a failure Redis is left alone for a few seconds so each request does
not pay the connection attempt again. ``incr`` still raises: rate limits must know the count is
unknown (and then let the action through, see ``actions/ratelimit.py``).
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

RETRY_AFTER_FAILURE_SECONDS = 5.0


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one ``redis.Redis`` per connection pool.

    The stock client builds a new ``redis.Redis`` for every cache call, and building one fills
    its table of response callbacks: about as much CPU as the round trip itself, several times
    per request. Django keeps one cache (and so one of these) per thread, so each client holds
    one connection of its own for the thread's life.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # Django keeps one cache instance per thread, so this client serves one thread: it
            # keeps one connection instead of borrowing one from the pool for every command
            # (the borrow checks the socket and takes the pool's lock each time).
            client = self._clients[id(pool)] = self._client(connection_pool=pool, single_connection_client=True)
        return client


class TolerantRedisCache(RedisCache):
    # Per instance (Django keeps one per thread and per configured cache), never shared.
    _down_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _guard(self, method, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), method)(*args, **kwargs)
        except Exception as exc:  # redis-py raises several unrelated classes for an outage
            self._down_until = time.monotonic() + RETRY_AFTER_FAILURE_SECONDS
            logger.warning("cache unavailable (%s); serving without it", type(exc).__name__)
            return fallback

    def get(self, key, default=None, version=None):
        return self._guard("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True reads as "you are first". A dead cache cannot know that someone else holds the key,
        # and every caller treats "first" as "do the work": publish the wake-up (the broker may
        # still take it), write the referral visit, count the attempt (then ``incr`` raises).
        return self._guard("add", True, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", None, keys, version)

    def clear(self):
        return self._guard("clear", False)
