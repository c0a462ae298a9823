"""Posting webhook deliveries: claim a batch, sign and post each row, record what happened.

The email outbox's pattern (``actions.outbox.deliver``): one ``UPDATE … RETURNING`` claims a
batch of due rows of one subscription (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two workers
never post the same row), each attempt carries the row's ``uuid`` as ``Webhook-Id``, and a
failure puts the row back with exponential backoff and jitter until ``WEBHOOK_MAX_ATTEMPTS``.
A receiver that fails or times out stops the rest of its batch (they go back unattempted), so a
slow receiver costs one timeout per wake-up, and only on the ``webhooks`` queue.
"""

import datetime
import json
import logging
import random
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F
from django.utils import timezone

from .addresses import public_host_check
from .models import WebhookDelivery, WebhookSubscription
from .signing import EVENT_HEADER, ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature

logger = logging.getLogger(__name__)
Status = WebhookDelivery.Status
USER_AGENT = "advocacy-webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: float | None = None


def backoff_seconds(attempts: int) -> float:
    """About base * 2**(attempts-1), capped, then randomised down by up to half (jitter)."""
    delay = settings.WEBHOOK_BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return min(delay, settings.WEBHOOK_BACKOFF_MAX_SECONDS) * random.uniform(0.5, 1.0)


def body_for(delivery: WebhookDelivery) -> bytes:
    """The exact bytes posted (and signed): the same on every attempt of a delivery."""
    envelope = {
        "id": str(delivery.uuid),
        "type": delivery.event,
        "created_date": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True).encode()


def headers_for(delivery: WebhookDelivery, *, secret: str, body: bytes, timestamp: int) -> dict:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        ID_HEADER: str(delivery.uuid),
        EVENT_HEADER: delivery.event,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret=secret, timestamp=timestamp, body=body),
    }


def deliveries_claim(*, subscription_id: int, now, limit: int) -> list[int]:
    """Move up to ``limit`` due, queued rows of one active subscription to ``sending``; their ids."""
    table = connection.ops.quote_name(WebhookDelivery._meta.db_table)
    subscriptions = connection.ops.quote_name(WebhookSubscription._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(now)
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    # As messages_claim: a MATERIALIZED batch is picked once; every value is a parameter.
    sql = (
        f"WITH batch AS MATERIALIZED (SELECT id FROM {table}"  # noqa: S608
        f" WHERE status = %s AND subscription_id = %s AND next_attempt_at <= %s"
        f" AND subscription_id IN (SELECT id FROM {subscriptions} WHERE active)"
        f" ORDER BY next_attempt_at, id LIMIT %s{lock})"
        f" UPDATE {table} SET status = %s, claimed_at = %s, attempts = attempts + 1"
        f" WHERE status = %s AND id IN (SELECT id FROM batch) RETURNING id"
    )
    params = [Status.QUEUED, subscription_id, now, limit, Status.SENDING, now, Status.QUEUED]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] for row in cursor.fetchall())


def _post(session, delivery, secret: str) -> tuple[int | None, str, str]:
    """Post one delivery; (status code or None, response excerpt, error)."""
    body = body_for(delivery)
    headers = headers_for(delivery, secret=secret, body=body, timestamp=int(time.time()))
    timeout = (settings.WEBHOOK_CONNECT_TIMEOUT, settings.WEBHOOK_READ_TIMEOUT)
    target = urlsplit(delivery.subscription.url)
    try:
        public_host_check(target.hostname or "", target.port)
    except ValidationError as refused:
        return None, "", f"Refused: {refused.messages[0]}"[:500]
    try:
        with session.post(
            delivery.subscription.url, data=body, headers=headers, timeout=timeout, allow_redirects=False, stream=True
        ) as response:
            excerpt = response.raw.read(settings.WEBHOOK_RESPONSE_EXCERPT, decode_content=True)
            return response.status_code, excerpt.decode("utf-8", "replace"), ""
    except requests.RequestException as exc:
        return None, "", f"{type(exc).__name__}: {exc}"[:500]


def _delivered(delivery, *, code: int, excerpt: str, now) -> Outcome:
    changes = {"status": Status.DELIVERED, "delivered_at": now, "claimed_at": None, "last_error": ""}
    if delivery.event == "supporter.erased":
        changes["payload"] = {"person": {"identifiers": delivery.payload["person"]["identifiers"]}}
    WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
        **changes, last_status_code=code, last_response=excerpt
    )
    if delivery.subscription.failing_since is not None:  # as read with the batch
        WebhookSubscription.objects.filter(pk=delivery.subscription_id).update(failing_since=None)
        delivery.subscription.failing_since = None
    return Outcome(Status.DELIVERED)


def _failed(delivery, *, code, excerpt: str, error: str, now) -> Outcome:
    error = error or f"HTTP {code}"
    mine = WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING)
    WebhookSubscription.objects.filter(pk=delivery.subscription_id, failing_since__isnull=True).update(
        failing_since=now
    )
    if delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS:
        delay = backoff_seconds(delivery.attempts)
        mine.update(
            status=Status.QUEUED,
            next_attempt_at=now + datetime.timedelta(seconds=delay),
            claimed_at=None,
            last_status_code=code,
            last_response=excerpt,
            last_error=error,
        )
        logger.warning(
            "webhook delivery %s: %s on attempt %s, retry in %.1fs", delivery.pk, error, delivery.attempts, delay
        )
        return Outcome("retry", retry_in=delay)
    changes = {"status": Status.FAILED, "claimed_at": None, "last_status_code": code, "last_error": error}
    if delivery.event == "supporter.erased":
        changes["payload"] = {"person": {"identifiers": delivery.payload["person"]["identifiers"]}}
    mine.update(**changes, last_response=excerpt)
    logger.error("webhook delivery %s failed after %s attempt(s): %s", delivery.pk, delivery.attempts, error)
    return Outcome(Status.FAILED)


def _unattempted_return(ids: list[int], *, at) -> None:
    """Rows claimed but not posted (their receiver just failed): back in the queue, not counted."""
    WebhookDelivery.objects.filter(pk__in=ids, status=Status.SENDING).update(
        status=Status.QUEUED, next_attempt_at=at, claimed_at=None, attempts=F("attempts") - 1
    )


def deliveries_send(*, subscription_id: int, now=None, limit: int | None = None) -> dict[int, Outcome]:
    """Claim one subscription's due rows and post them in order over one kept-alive connection."""
    now = now or timezone.now()
    claimed = deliveries_claim(subscription_id=subscription_id, now=now, limit=limit or settings.WEBHOOK_BATCH_SIZE)
    if not claimed:
        return {}
    rows = list(WebhookDelivery.objects.select_related("subscription").filter(pk__in=claimed).order_by("pk"))
    outcomes = {}
    with requests.Session() as session:
        for index, delivery in enumerate(rows):
            code, excerpt, error = _post(session, delivery, delivery.subscription.secret)
            excerpt = excerpt.replace("\x00", "")
            if code is not None and 200 <= code < 300:
                outcomes[delivery.pk] = _delivered(delivery, code=code, excerpt=excerpt, now=timezone.now())
                continue
            outcome = _failed(delivery, code=code, excerpt=excerpt, error=error, now=timezone.now())
            outcomes[delivery.pk] = outcome
            rest = [row.pk for row in rows[index + 1 :]]
            retry_at = timezone.now() + datetime.timedelta(seconds=outcome.retry_in or 0)
            _unattempted_return(rest, at=retry_at)
            outcomes.update({pk: Outcome("returned", retry_in=outcome.retry_in) for pk in rest})
            break
    return outcomes
