"""Rate limits kept in the cache (Redis in production): a burst window and a sustained window.

Each window slides. Counting only the current fixed window would let a burst through twice
over when it straddles a window boundary (three attempts just before the minute, three just
after). Instead the count is this fixed window's attempts plus the previous fixed window's,
weighted by the share of the previous window that still lies inside the sliding one (a
"sliding window counter"). It assumes the previous window's attempts were spread evenly, which
is close enough for flagging. On Redis every window of every scope an action is checked against
is counted in one round trip (one small Lua script); on any other cache (local memory in development) the same
counts are kept with the cache's add, incr and get_many.

A limit never refuses an action here; callers store the action flagged instead, so a bot gets
the same answer as a person and nothing a real supporter submits is lost.
"""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    burst: int  # at most this many ...
    burst_seconds: int  # ... in this many seconds
    sustained: int  # and at most this many ...
    sustained_seconds: int  # ... in this many seconds


def limit_from_settings(name: str) -> Limit:
    """A limit from settings.RATE_LIMITS[name] = (burst, burst_seconds, sustained, sustained_seconds)."""
    return Limit(*settings.RATE_LIMITS[name])


@dataclass(frozen=True)
class Check:
    """One attempt to count: ``key`` (already opaque) in ``scope``, against ``limit``."""

    scope: str
    key: str
    limit: Limit


def _windows(checks: list[Check], now: float):
    """(check index, count_max, seconds, current key, previous key, share of previous still inside)."""
    for index, check in enumerate(checks):
        limit = check.limit
        for count_max, seconds in ((limit.burst, limit.burst_seconds), (limit.sustained, limit.sustained_seconds)):
            if count_max <= 0:
                continue
            window = int(now // seconds)
            prefix = f"rl:{check.scope}:{check.key}:{seconds}"
            still_inside = 1 - (now - window * seconds) / seconds
            yield index, count_max, seconds, f"{prefix}:{window}", f"{prefix}:{window - 1}", still_inside


def _redis_client():
    """The Redis client behind Django's cache, or None when the cache is not Redis."""
    get_client = getattr(getattr(cache, "_cache", None), "get_client", None)
    return get_client(write=True) if get_client is not None else None


# Per window (two keys: the current and the previous fixed window, one lifetime): create the
# current counter with its lifetime if new, count this attempt, read the previous window. One
# script for every window of every check: one command to send and one reply to parse, where a
# pipeline of SET/INCR/GET per window costs the client about as much CPU as the round trip.
_COUNT_SCRIPT = """
local counts = {}
for i = 1, #ARGV do
  local current, previous = KEYS[2 * i - 1], KEYS[2 * i]
  redis.call('SET', current, 0, 'EX', ARGV[i], 'NX')
  counts[2 * i - 1] = redis.call('INCR', current)
  counts[2 * i] = tonumber(redis.call('GET', previous) or '0') or 0
end
return counts
"""
_script = None


def _counts_in_one_round_trip(client, windows) -> list[float]:
    global _script
    if _script is None:
        _script = client.register_script(_COUNT_SCRIPT)  # EVALSHA, loading the script when missing
    keys, lifetimes = [], []
    for _, _, seconds, current, previous, _ in windows:
        # Django stores integers unpickled, so these are the cache's own keys and values. The keys
        # are ours (scope, hash, numbers): no need for the memcached key check, character by character.
        keys += [cache.make_key(current), cache.make_key(previous)]
        # A window's counter is still read through the whole next window, so it lives two windows.
        lifetimes.append(2 * seconds + 1)
    replies = _script(keys=keys, args=lifetimes, client=client)
    return [replies[2 * n] + replies[2 * n + 1] * windows[n][5] for n in range(len(windows))]


def _counts_one_by_one(windows) -> list[float]:
    counts = []
    for _, _, seconds, current, previous, still_inside in windows:
        lifetime = 2 * seconds + 1
        cache.add(current, 0, timeout=lifetime)
        try:
            count = cache.incr(current)
        except ValueError:  # expired between add and incr
            cache.set(current, 1, timeout=lifetime)
            count = 1
        counts.append(count + cache.get_many([previous]).get(previous, 0) * still_inside)
    return counts


def hits(checks: list[Check]) -> list[bool]:
    """Count one attempt for each check; for each, True when it is over either window's limit.

    Every attempt counts, flagged or not, so a client that keeps trying stays over the limit.
    With Redis every window of every check is counted in one round trip (a script); any other
    cache is asked key by key. When the cache is down nothing is limited (and a warning is
    logged): supporters first.
    """
    windows = list(_windows(checks, time.time()))
    try:
        client = _redis_client()
        counts = _counts_in_one_round_trip(client, windows) if client else _counts_one_by_one(windows)
    except Exception:
        logger.warning("rate limit cache unavailable; not limiting %s", ", ".join(sorted({c.scope for c in checks})))
        return [False] * len(checks)
    over = [False] * len(checks)
    for (index, count_max, *_), count in zip(windows, counts, strict=True):
        over[index] = over[index] or count > count_max
    return over


def hit(*, scope: str, key: str, limit: Limit) -> bool:
    """Count one attempt for ``key`` in ``scope`` (see ``hits``); True when it is over a limit.

    ``key`` must already be opaque (a hash or an id), never an email or address in clear.
    """
    return hits([Check(scope=scope, key=key, limit=limit)])[0]
