"""Rate limits kept in the cache (Redis in production): a burst window and a sustained window.

Each window slides. Counting only the current fixed window would let a burst through twice
over when it straddles a window boundary (three attempts just before the minute, three just
after). Instead the count is this fixed window's attempts plus the previous fixed window's,
weighted by the share of the previous window that still lies inside the sliding one (a
"sliding window counter"). It assumes the previous window's attempts were spread evenly, which
is close enough for flagging, and it needs only the cache's add, incr and get_many, so it works
the same on Redis and on the local-memory cache.

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


def _sliding_count(*, prefix: str, seconds: int, now: float) -> float:
    """Count one attempt; return the attempts in the ``seconds`` up to ``now``, this one included.

    Raises whatever the cache raises when it is down (``incr`` is never silenced, see
    advocacy/cache.py).
    """
    window = int(now // seconds)
    current, previous = f"{prefix}:{window}", f"{prefix}:{window - 1}"
    # A window's counter is still read through the whole next window, so it lives two windows.
    lifetime = 2 * seconds + 1
    cache.add(current, 0, timeout=lifetime)
    try:
        count = cache.incr(current)
    except ValueError:  # expired between add and incr
        cache.set(current, 1, timeout=lifetime)
        count = 1
    earlier = cache.get_many([previous]).get(previous, 0)
    still_inside = 1 - (now - window * seconds) / seconds
    return count + earlier * still_inside


def hit(*, scope: str, key: str, limit: Limit) -> bool:
    """Count one attempt for ``key`` in ``scope``; True when it is over either window's limit.

    Every attempt counts, flagged or not, so a client that keeps trying stays over the limit.
    ``key`` must already be opaque (a hash or an id), never an email or address in clear.
    When the cache is down, nothing is limited (and a warning is logged): supporters first.
    """
    now = time.time()
    over = False
    for count_max, seconds in ((limit.burst, limit.burst_seconds), (limit.sustained, limit.sustained_seconds)):
        if count_max <= 0:
            continue
        try:
            count = _sliding_count(prefix=f"rl:{scope}:{key}:{seconds}", seconds=seconds, now=now)
        except Exception:
            logger.warning("rate limit cache unavailable; not limiting %s", scope)
            return False
        if count > count_max:
            over = True
    return over
