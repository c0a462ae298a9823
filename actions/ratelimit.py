"""Rate limits kept in the cache (Redis in production): a burst window and a sustained window.

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


def hit(*, scope: str, key: str, limit: Limit) -> bool:
    """Count one attempt for ``key`` in ``scope``; True when it is over either window's limit.

    Fixed windows keyed by the window's start keep this to two cache increments per attempt.
    ``key`` must already be opaque (a hash or an id), never an email or address in clear.
    When the cache is down, nothing is limited (and a warning is logged): supporters first.
    """
    now = int(time.time())
    over = False
    for count_max, seconds in ((limit.burst, limit.burst_seconds), (limit.sustained, limit.sustained_seconds)):
        if count_max <= 0:
            continue
        window = now // seconds
        cache_key = f"rl:{scope}:{key}:{seconds}:{window}"
        try:
            cache.add(cache_key, 0, timeout=seconds + 1)
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=seconds + 1)
            count = 1
        except Exception:
            logger.warning("rate limit cache unavailable; not limiting %s", scope)
            return False
        if count > count_max:
            over = True
    return over
