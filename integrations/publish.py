"""Waking webhook workers after commit, without ever failing the caller (as ``actions.publish``).

Tasks are looked up by name when they run, so the services below import nothing of
``integrations.tasks``; when the broker is down the relay (``webhooks_relay``) catches up.
"""

import importlib
import logging
from collections import Counter

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def subscriptions_wake(subscription_ids, *, countdown: float | None = None, rows: dict | None = None) -> int:
    """Publish ``webhooks_send`` for each subscription now, one per ``WEBHOOK_BATCH_SIZE`` of its
    ``rows`` (new rows by subscription id; one when not given, up to ``WEBHOOK_WAKE_MAX``), so
    a burst is posted by several workers at once; how many went out."""
    task = importlib.import_module("integrations.tasks").webhooks_send
    woken = 0
    for subscription_id in sorted(set(subscription_ids)):
        count = (rows or {}).get(subscription_id, 1)
        for _ in range(min(-(-count // settings.WEBHOOK_BATCH_SIZE), settings.WEBHOOK_WAKE_MAX)):
            try:
                task.apply_async((subscription_id,), countdown=countdown)
            except Exception:
                logger.warning("broker unavailable; webhooks for subscription %s left to the relay", subscription_id)
                return woken
            woken += 1
    return woken


class _Wake:
    """One after-commit wake-up per transaction, for every subscription its events queued for:
    a paper import of a thousand signatures wakes each subscription once, not a thousand times."""

    def __init__(self):
        self.rows: Counter = Counter()

    def __call__(self):
        subscriptions_wake(self.rows, rows=self.rows)


def subscriptions_wake_after_commit(subscription_ids) -> None:
    """Wake each subscription once this transaction commits (ids may repeat: one per new row)."""
    rows = Counter(subscription_ids)
    if not rows:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        subscriptions_wake(rows, rows=rows)
        return
    wake = getattr(connection, "_webhooks_wake", None)
    # Still waiting to run in this transaction? (A rollback drops it from the list.)
    if wake is None or not any(entry[1] is wake for entry in connection.run_on_commit):
        wake = connection._webhooks_wake = _Wake()
        transaction.on_commit(wake)
    wake.rows.update(rows)
