"""The sliding-window rate limiter: bursts, keys, decay, window edges and a dead cache.

The clock is the module's own ``time.time`` replaced by a hand-wound one, so a test can stand
just before or after a window boundary; the cache is the real one (Redis, or local memory).
"""

import logging
import types

import pytest
from django.test import override_settings

from actions import ratelimit
from actions.ratelimit import Limit, hit
from tests.waiting import closed_port

# A time that starts a minute and an hour, so offsets below are offsets into both windows.
HOUR_START = 500_000 * 3600
# Three a minute; the hourly limit is out of the way of the tests that slide the clock.
BURST = Limit(burst=3, burst_seconds=60, sustained=1000, sustained_seconds=3600)


@pytest.fixture
def limit():
    return Limit(burst=3, burst_seconds=60, sustained=5, sustained_seconds=3600)


@pytest.fixture
def clock(monkeypatch):
    """clock.at(seconds): the limiter now sees HOUR_START + seconds as the time."""
    state = types.SimpleNamespace(now=float(HOUR_START))
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: state.now))

    def at(seconds: float):
        state.now = HOUR_START + seconds

    state.at = at
    return state


def hits(n, *, limit, scope="t", key="a"):
    return [hit(scope=scope, key=key, limit=limit) for _ in range(n)]


def test_burst_limit_flags_the_fourth_hit(limit):
    assert hits(4, limit=limit) == [False, False, False, True]


def test_keys_and_scopes_are_independent(limit):
    hits(3, limit=limit)
    assert hit(scope="t", key="b", limit=limit) is False
    assert hit(scope="other", key="a", limit=limit) is False


def test_sustained_limit_applies_across_bursts():
    limit = Limit(burst=0, burst_seconds=1, sustained=2, sustained_seconds=3600)
    assert hits(3, limit=limit) == [False, False, True]


def test_a_burst_split_across_a_window_boundary_is_still_caught(clock):
    # Fixed windows saw two bursts of three here, each within its limit.
    clock.at(59.5)
    assert hits(3, limit=BURST) == [False, False, False]
    clock.at(60.5)
    assert hits(3, limit=BURST) == [True, True, True]


@pytest.mark.parametrize(
    "later, allowed",
    [
        (1, 0),  # 59 of the last 60 seconds still hold the burst
        (15, 0),
        (30, 1),  # half the previous window is still inside: 1.5 of its 3 attempts count
        (50, 2),
        (60, 3),  # two fixed windows on, nothing from the burst is left
        (600, 3),
    ],
)
def test_the_count_decays_as_the_window_slides(clock, later, allowed):
    clock.at(0)
    assert hits(3, limit=BURST) == [False, False, False]
    clock.at(60 + later)
    assert hits(allowed + 1, limit=BURST) == [False] * allowed + [True]


def test_a_client_that_keeps_trying_stays_limited(limit, clock):
    # One attempt every 10 seconds for ten minutes: twice the burst rate. Fixed windows let
    # three through at the start of every minute; the sliding count stays above the limit.
    flags = []
    for n in range(60):
        clock.at(5 + 10 * n)
        flags.append(hit(scope="t", key="a", limit=BURST))
    assert flags == [False] * 3 + [True] * 57


def test_a_steady_client_below_the_limit_is_never_flagged(clock):
    # Two attempts a minute against a limit of three: across every boundary, never flagged.
    flags = []
    for n in range(40):
        clock.at(1 + 30 * n)
        flags.append(hit(scope="t", key="a", limit=BURST))
    assert flags == [False] * 40


def test_the_sustained_window_slides_too(clock):
    limit = Limit(burst=0, burst_seconds=1, sustained=4, sustained_seconds=3600)
    clock.at(3599)
    assert hits(4, limit=limit) == [False] * 4
    clock.at(3601)
    assert hit(scope="t", key="a", limit=limit) is True
    clock.at(2 * 3600 + 1)
    assert hit(scope="t", key="a", limit=limit) is False


def test_a_dead_cache_limits_nothing_and_says_so(limit, caplog):
    dead = {
        "default": {
            "BACKEND": "advocacy.cache.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=dead), caplog.at_level(logging.WARNING, logger="actions.ratelimit"):
        assert hits(5, limit=limit) == [False] * 5
    assert caplog.text.count("rate limit cache unavailable; not limiting t") == 5


def _redis():
    client = ratelimit._redis_client()
    if client is None:
        pytest.skip("the cache is not Redis here (no REDIS_URL); the script is Redis's")
    return client


def test_counting_survives_a_redis_that_forgot_the_script(limit):
    client = _redis()
    assert hits(2, limit=limit) == [False, False]
    client.script_flush()  # as after a Redis restart: EVALSHA answers NOSCRIPT once
    assert hits(2, limit=limit) == [False, True]  # the third and fourth attempts, still counted


def test_the_cache_keeps_one_redis_client_per_pool():
    from django.core.cache import cache

    _redis()
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
