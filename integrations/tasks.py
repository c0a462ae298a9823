"""Celery tasks for webhooks: thin and safe to run twice (each row is claimed before it is posted).

``webhooks_send`` runs on the ``webhooks`` queue (``WEBHOOK_TASK_ROUTES``), apart from email.
"""

from collections import Counter

from celery import shared_task
from django.conf import settings

from . import deliver, goals, services
from .publish import subscriptions_wake

# A retry due within this many seconds is handed to the broker with a countdown; a later one
# waits in the row for the relay, so no task sleeps in Redis for long.
SHORT_RETRY_SECONDS = 60


@shared_task(acks_late=True, ignore_result=True)
def webhooks_send(subscription_id: int) -> dict:
    """Post a batch of one subscription's due deliveries; a full batch wakes one more task."""
    outcomes = deliver.deliveries_send(subscription_id=subscription_id)
    retries = [o.retry_in for o in outcomes.values() if o.retry_in is not None]
    if retries and min(retries) <= SHORT_RETRY_SECONDS:
        subscriptions_wake([subscription_id], countdown=min(retries))
    elif len(outcomes) >= settings.WEBHOOK_BATCH_SIZE:
        subscriptions_wake([subscription_id])
    return dict(Counter(outcome.status for outcome in outcomes.values()))


@shared_task(acks_late=True, ignore_result=True)
def webhooks_relay() -> dict:
    """Periodic: requeue stuck rows, pause subscriptions failing for a day, wake workers."""
    return services.webhooks_relay()


@shared_task(acks_late=True, ignore_result=True)
def goals_check() -> int:
    """Periodic: ``campaign.goal_reached`` for each goal a campaign has newly passed."""
    return goals.goals_check()
