import pytest

from actions.ratelimit import Limit, hit


@pytest.fixture
def limit():
    return Limit(burst=3, burst_seconds=60, sustained=5, sustained_seconds=3600)


def test_burst_limit_flags_the_fourth_hit(limit):
    results = [hit(scope="t", key="a", limit=limit) for _ in range(4)]
    assert results == [False, False, False, True]


def test_keys_and_scopes_are_independent(limit):
    for _ in range(3):
        hit(scope="t", key="a", limit=limit)
    assert hit(scope="t", key="b", limit=limit) is False
    assert hit(scope="other", key="a", limit=limit) is False


def test_sustained_limit_applies_across_bursts():
    limit = Limit(burst=0, burst_seconds=1, sustained=2, sustained_seconds=3600)
    assert [hit(scope="s", key="k", limit=limit) for _ in range(3)] == [False, False, True]
