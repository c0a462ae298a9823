"""Waking workers: publish a Celery task after the transaction commits, and never fail for it.

The database row is the truth and the queue only a wake-up call, so a broker that is down must
never turn a supporter's action into an error: each periodic relay (``outbox_relay``, the beat
``totals_refresh``) catches up on whatever a lost wake-up missed. This is the one module that
knows the tasks exist; it looks them up by name at call time, so the services below it import
nothing of ``actions.tasks`` (which imports them).
"""

import importlib
import logging
import time

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

TASKS_MODULE = "actions.tasks"


def _task(name: str):
    return getattr(importlib.import_module(TASKS_MODULE), name)


def task_publish(name: str, *args, countdown: float | None = None) -> bool:
    """Publish ``actions.tasks.<name>(*args)`` now; False (logged) when the broker is down."""
    task = _task(name)
    try:
        if countdown:
            task.apply_async(args, countdown=countdown)
        else:
            task.delay(*args)
    except Exception:
        logger.warning("broker unavailable; %s(%s) left to the periodic relay", name, ", ".join(map(str, args)))
        return False
    return True


def tasks_publish(name: str, ids, *, countdown: float | None = None) -> int:
    """Publish one task per id; stops at the first broker failure. Returns how many went out."""
    published = 0
    for item in ids:
        if not task_publish(name, item, countdown=countdown):
            break
        published += 1
    return published


def publish_after_commit(name: str, *args, countdown: float | None = None) -> None:
    """Publish the task once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: task_publish(name, *args, countdown=countdown))


def publish_each_after_commit(name: str, ids) -> None:
    """One task per id after commit (see ``tasks_publish``)."""
    ids = list(ids)
    if ids:
        transaction.on_commit(lambda: tasks_publish(name, ids))


# name -> when this process last published it (monotonic clock), so that inside the debounce
# window a process skips even the cache round trip: under a spike that is one per action.
_published_at: dict[str, float] = {}


def publish_debounced(name: str, *, seconds: float = 1) -> bool:
    """Publish at most once per ``seconds`` across all processes (a cache key debounces it).

    When the cache is down the task is still published: the cache and the broker may fail
    separately, and a dead debounce must not hide a wake-up the broker could still take.
    """
    now = time.monotonic()
    if now - _published_at.get(name, -seconds) < seconds:
        return False
    _published_at[name] = now
    try:
        if not cache.add(f"publish-debounce:{name}", 1, timeout=seconds):
            return False
    except Exception:
        logger.warning("cache unavailable; publishing %s without debounce", name)
    return task_publish(name)
