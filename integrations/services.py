"""Webhook subscriptions and their deliveries: create, remove, resume, redeliver, relay, pause."""

import datetime
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .addresses import public_host_check
from .events import subscriptions_forget
from .models import EVENTS, WebhookDelivery, WebhookSubscription
from .publish import subscriptions_wake, subscriptions_wake_after_commit
from .signing import secret_new

logger = logging.getLogger(__name__)
Status = WebhookDelivery.Status


def url_check(url: str) -> str:
    """The receiver's URL, or ValidationError: http(s) only, https unless allowed otherwise, and a
    public host (``addresses``)."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("Enter a full http or https URL.", code="url")
    if parts.scheme != "https" and settings.WEBHOOK_REQUIRE_HTTPS and not settings.DEBUG:
        raise ValidationError("Webhook receivers must use https.", code="https")
    public_host_check(parts.hostname, parts.port)
    return url


def events_check(events) -> list[str]:
    events = list(dict.fromkeys(events or []))
    unknown = [name for name in events if name not in EVENTS]
    if not events or unknown:
        raise ValidationError(f"Choose events from: {', '.join(EVENTS)}.", code="events")
    return events


def subscription_create(
    *, url: str, events, campaign_id: int | None = None, personal_data: bool = False, organiser=None,
    contact_email: str = "", description: str = "",
) -> WebhookSubscription:  # fmt: skip
    """A new subscription with a fresh secret (``subscription.secret``: show it once)."""
    subscription = WebhookSubscription.objects.create(
        url=url_check(url),
        events=events_check(events),
        campaign_id=campaign_id,
        personal_data=personal_data,
        organiser=organiser,
        contact_email=contact_email or getattr(organiser, "email", "") or "",
        description=description,
        secret=secret_new(),
    )
    subscriptions_forget()
    return subscription


def subscription_remove(*, subscription_id: int) -> bool:
    """Delete a subscription and its deliveries; False when there was none."""
    deleted, _ = WebhookSubscription.objects.filter(pk=subscription_id).delete()
    subscriptions_forget()
    return bool(deleted)


def subscription_resume(*, subscription_id: int) -> bool:
    """Turn a paused subscription back on; its waiting deliveries go out again."""
    changed = WebhookSubscription.objects.filter(pk=subscription_id).update(
        active=True, paused_at=None, paused_reason="", failing_since=None
    )
    subscriptions_forget()
    if changed:
        subscriptions_wake([subscription_id])
    return bool(changed)


def deliveries_redeliver(*, delivery_ids) -> int:
    """Queue deliveries again for a fresh round of attempts (same ``Webhook-Id``); how many."""
    now = timezone.now()
    with transaction.atomic():
        rows = WebhookDelivery.objects.filter(pk__in=list(delivery_ids)).exclude(status=Status.SENDING)
        subscription_ids = list(rows.values_list("subscription_id", flat=True))  # one per row
        count = rows.update(status=Status.QUEUED, attempts=0, next_attempt_at=now, claimed_at=None)
        subscriptions_wake_after_commit(subscription_ids)
    return count


def _pause_email(subscription: WebhookSubscription, since) -> None:
    address = subscription.contact_email or getattr(subscription.organiser, "email", "")
    if not address:
        return
    body = (
        f"Deliveries to your webhook receiver at {subscription.url} have failed since "
        f"{since:%Y-%m-%d %H:%M} UTC, so we paused the subscription. Events are kept while it is "
        "paused. Fix the receiver, then resume the subscription in the admin (Settings > Webhooks)."
    )
    try:
        send_mail("Webhook subscription paused", body, None, [address])
    except Exception:
        logger.exception("could not tell the organiser of subscription %s it was paused", subscription.pk)


def subscriptions_pause_failing(*, now=None) -> list[int]:
    """Pause every active subscription failing for ``WEBHOOK_PAUSE_AFTER_SECONDS``; email each organiser."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.WEBHOOK_PAUSE_AFTER_SECONDS)
    paused = []
    for subscription in WebhookSubscription.objects.filter(active=True, failing_since__lte=cutoff):
        reason = f"Failing since {subscription.failing_since:%Y-%m-%d %H:%M} UTC"
        if WebhookSubscription.objects.filter(pk=subscription.pk, active=True).update(
            active=False, paused_at=now, paused_reason=reason
        ):
            paused.append(subscription.pk)
            logger.warning("webhook subscription %s paused: %s", subscription.pk, reason)
            _pause_email(subscription, subscription.failing_since)
    if paused:
        subscriptions_forget()
    return paused


def webhooks_relay(*, now=None) -> dict:
    """Requeue rows whose worker died, pause failing subscriptions, wake workers for due rows."""
    now = now or timezone.now()
    expired = now - datetime.timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
    requeued = WebhookDelivery.objects.filter(status=Status.SENDING, claimed_at__lt=expired).update(
        status=Status.QUEUED, next_attempt_at=now, claimed_at=None, last_error="worker stopped mid-send"
    )
    paused = subscriptions_pause_failing(now=now)
    due = set(
        WebhookDelivery.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now, subscription__active=True)
        .values_list("subscription_id", flat=True)
        .distinct()
    )
    woken = subscriptions_wake(due)
    return {"requeued": requeued, "paused": len(paused), "woken": woken}
