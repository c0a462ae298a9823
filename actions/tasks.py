"""Celery tasks: thin, idempotent wrappers around services. They take ids, never objects.

Services never import this module; they wake workers through ``actions.publish``, which looks
tasks up here by name.
"""

from collections import Counter

from celery import shared_task
from django.conf import settings

from . import confirmation, privacy_services, release, totals
from .calls import callbacks as call_callbacks
from .calls import services as call_services
from .outbox import deliver, digests, tracking
from .publish import task_publish


@shared_task(acks_late=True, ignore_result=True)
def totals_refresh() -> int:
    """Fold newly committed actions into the stored totals. Safe to run twice at once."""
    return totals.totals_fold()


@shared_task(acks_late=True, ignore_result=True)
def totals_reconcile() -> int:
    """Recompute the totals from the action log; returns how many keys had drifted."""
    return len(totals.totals_reconcile())


@shared_task(acks_late=True, ignore_result=True)
def flags_release() -> int:
    """Periodic: count again flagged actions whose supporter since acted from elsewhere."""
    return release.flags_release()


# Short retries are handed back to the broker with a countdown; anything longer waits in the row's
# next_attempt_at for the relay, so no task ever sleeps in Redis past its visibility timeout.
SHORT_RETRY_SECONDS = 60


def _short_retries_publish(outcomes: dict) -> None:
    for message_id, outcome in outcomes.items():
        if outcome.retry_in is not None and outcome.retry_in <= SHORT_RETRY_SECONDS:
            task_publish("message_send", message_id, countdown=outcome.retry_in)


@shared_task(acks_late=True, ignore_result=True)
def messages_send() -> dict:
    """Send a batch of due outbox rows (one claim, one provider connection); how many of each
    outcome. A full batch wakes one more worker, so a backlog drains without waiting for the
    relay. Runs twice, sends once: each row is claimed before it is sent."""
    outcomes = deliver.messages_send()
    _short_retries_publish(outcomes)
    if len(outcomes) >= settings.EMAIL_BATCH_SIZE:
        task_publish("messages_send")
    return dict(Counter(outcome.status for outcome in outcomes.values()))


@shared_task(acks_late=True, ignore_result=True)
def message_send(message_id: int) -> str:
    """Send one outbox row (a short retry's wake-up). Runs twice, sends once."""
    outcome = deliver.message_send(message_id=message_id)
    _short_retries_publish({message_id: outcome})
    return outcome.status


@shared_task(acks_late=True, ignore_result=True)
def outbox_relay() -> dict:
    """Periodic: requeue expired leases, wake workers for due rows, apply stray tracking events."""
    result = deliver.outbox_relay()
    result["events"] = tracking.tracking_events_relay()
    return result


@shared_task(acks_late=True, ignore_result=True)
def digests_send() -> int:
    """Periodic: send every target's due daily digest."""
    return digests.digests_send()


@shared_task(acks_late=True, ignore_result=True)
def tracking_event_apply(event_pk: int) -> None:
    """Apply one stored tracking event to its message (order-independent, safe to repeat)."""
    tracking.tracking_event_apply(event_pk=event_pk)


@shared_task(acks_late=True, ignore_result=True)
def client_addresses_purge() -> int:
    """Blank address hashes past their retention period. Safe to repeat."""
    return privacy_services.client_addresses_purge()


@shared_task(acks_late=True, ignore_result=True)
def call_sessions_close() -> int:
    """Periodic: close call sessions that never reported back. Safe to repeat."""
    return call_services.sessions_close_stale()


@shared_task(acks_late=True, ignore_result=True)
def call_callbacks_fire() -> int:
    """Periodic: place the "call me when they open" requests that are due. Safe to repeat."""
    return call_callbacks.callbacks_fire()


@shared_task(acks_late=True, ignore_result=True)
def confirmation_reminders_send() -> int:
    """Periodic: one reminder to each signer who has not confirmed in time. Never a second one."""
    return confirmation.confirmation_reminders_send()
