"""The no-op task the email pipeline is compared with: same broker, same worker, no work.

Only the bench settings install the ``bench`` app, so only a bench worker knows this task.
"""

import functools

import redis
from celery import shared_task
from django.conf import settings

NOOP_DONE_KEY = "bench:noop-done"


@functools.cache
def _redis():
    return redis.Redis.from_url(settings.REDIS_URL)


@shared_task(ignore_result=True)
def bench_noop(n: int) -> None:
    """Mark one more task done, so the bench can tell when a batch has drained."""
    _redis().incr(NOOP_DONE_KEY)
