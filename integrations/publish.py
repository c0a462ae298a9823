"""Waking webhook workers after commit, without ever failing the caller (as ``actions.publish``).

Tasks are looked up by name when they run, so the services below import nothing of
``integrations.tasks``; when the broker is down the relay (``webhooks_relay``) catches up.
"""

import importlib
import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def subscriptions_wake(subscription_ids, *, countdown: float | None = None) -> int:
    """Publish one ``webhooks_send`` per subscription now; how many went out."""
    task = importlib.import_module("integrations.tasks").webhooks_send
    woken = 0
    for subscription_id in sorted(set(subscription_ids)):
        try:
            task.apply_async((subscription_id,), countdown=countdown)
        except Exception:
            logger.warning("broker unavailable; webhooks for subscription %s left to the relay", subscription_id)
            break
        woken += 1
    return woken


def subscriptions_wake_after_commit(subscription_ids) -> None:
    ids = sorted(set(subscription_ids))
    if ids:
        transaction.on_commit(lambda: subscriptions_wake(ids))
