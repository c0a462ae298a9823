"""Delivering: claim one outbox row, send it through django-anymail, record what happened.

Exactly once: a worker sends a row only after one conditional UPDATE moved it from ``queued``
to ``sending``, so a task delivered twice sends once. Transient failures go back to ``queued``
with exponential backoff and jitter; the relay requeues rows whose worker died mid-send and
wakes workers for every due row, so a lost wake-up (broker down) only delays a message.
"""

import datetime
import logging
import random
from dataclasses import dataclass

from anymail.exceptions import AnymailAPIError, AnymailError
from anymail.message import AnymailMessage
from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Trim
from django.utils import timezone
from django.utils.html import escape, linebreaks

from ..models import OutboundMessage, Suppression, Target
from ..publish import publish_each_after_commit, tasks_publish
from ..text import clean_line
from .compose import campaign_address, header_address

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status
RELAY_BATCH = 500
# The reason left on a row the relay took back from a worker that stopped mid-send.
LEASE_EXPIRED = "Lease expired: requeued."
SUPPRESSED = "Address is suppressed."


@dataclass(frozen=True)
class SendOutcome:
    status: str
    detail: str = ""
    retry_in: float | None = None


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with jitter: about base * 2**(attempts-1), capped, randomised by half."""
    delay = min(settings.EMAIL_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), settings.EMAIL_BACKOFF_MAX_SECONDS)
    return delay * random.uniform(0.5, 1.0)


def is_transient(exc: Exception) -> bool:
    """Worth trying again: the provider was unreachable, overloaded or failed on its side."""
    if isinstance(exc, AnymailAPIError):
        status = getattr(exc, "status_code", None)
        return status is None or status in (408, 409, 425, 429) or status >= 500
    if isinstance(exc, AnymailError):
        return False  # refused recipients, invalid addresses, unsupported features: retrying won't help
    return True  # network and SMTP errors from non-anymail backends


def failure_record(rows, exc: Exception, *, attempts: int, now, what: str) -> SendOutcome:
    """Put rows we hold (``sending``) back in the queue with backoff, or fail them for good.

    Used for one message and for a digest's rows alike; ``what`` names them in the log.
    """
    reason = f"{type(exc).__name__}: {exc}"[:1000]
    if is_transient(exc) and attempts < settings.EMAIL_MAX_ATTEMPTS:
        delay = backoff_seconds(attempts)
        rows.update(
            status=Status.QUEUED,
            next_attempt_at=now + datetime.timedelta(seconds=delay),
            claimed_at=None,
            last_error=reason,
        )
        logger.warning("%s: transient error on attempt %s, retry in %.0fs", what, attempts, delay)
        return SendOutcome("retry", reason, retry_in=delay)
    rows.update(status=Status.FAILED, last_error=reason, claimed_at=None, status_changed_at=now)
    logger.error("%s failed after %s attempt(s): %s", what, attempts, type(exc).__name__)
    return SendOutcome(Status.FAILED, reason)


def provider_message_id(email) -> str:
    """What the provider called the message it accepted ("" when it said nothing)."""
    status = getattr(email, "anymail_status", None)
    return str((getattr(status, "message_id", None) or "") if status else "")[:255]


def email_build(*, subject: str, body: str, sender_name: str, to: str, metadata: dict, tags: list, **extra):
    """An AnymailMessage from our address, with an HTML part in which everything is escaped."""
    email = AnymailMessage(
        subject=clean_line(subject),
        body=body,
        from_email=header_address(sender_name, campaign_address()),
        to=[to],
        **extra,
    )
    email.attach_alternative(linebreaks(escape(body)), "text/html")
    email.metadata = metadata
    email.tags = tags[: settings.EMAIL_MAX_TAGS]
    return email


def _email_for(message: OutboundMessage) -> AnymailMessage:
    tags = [f"campaign-{message.campaign_id}"] + ([f"target-{message.target_id}"] if message.target_id else [])
    return email_build(
        subject=message.subject,
        body=message.body,
        sender_name=message.from_name,
        to=message.to_email,
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={
            **(message.headers or {}),
            "Message-ID": f"<outbox-{message.pk}@{campaign_address().rpartition('@')[2]}>",
        },
        metadata={
            "message_id": str(message.pk),
            "campaign": str(message.campaign_id),
            "target": str(message.target_id or ""),
        },
        tags=tags,
    )


def message_claim(*, message_id: int, now) -> bool:
    """Atomically move one due, queued, direct row to sending. Only the winner may send it."""
    return bool(
        OutboundMessage.objects.filter(
            pk=message_id, status=Status.QUEUED, delivery=OutboundMessage.Delivery.DIRECT, next_attempt_at__lte=now
        ).update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, status_changed_at=now)
    )


def _hourly_cap_deferral(message: OutboundMessage, now) -> datetime.datetime | None:
    """When the target's cap on messages per hour is reached, the time to try again."""
    target = message.target
    if message.review or target is None or not target.max_messages_per_hour:
        return None
    hour_ago = now - datetime.timedelta(hours=1)
    with transaction.atomic():
        # Lock the target so two workers cannot both see room for one more message.
        Target.objects.select_for_update().filter(pk=target.pk).first()
        recent = OutboundMessage.objects.filter(target=target, review=False, kind=OutboundMessage.Kind.TO_TARGET)
        recent = recent.exclude(pk=message.pk).filter(
            Q(status=Status.SENDING) | Q(sent_at__gt=hour_ago, status__in=[Status.SENT, Status.DELIVERED])
        )
        if recent.count() < target.max_messages_per_hour:
            return None
        oldest = recent.filter(sent_at__isnull=False).order_by("sent_at").values_list("sent_at", flat=True).first()
        return max((oldest or now) + datetime.timedelta(hours=1), now + datetime.timedelta(seconds=60))


# One open connection to the provider per worker process, so each message reuses the HTTP
# session (and its kept-alive socket) instead of opening a new one: the profile of the email
# pipeline showed connection setup as a large share of each send. Keyed by the settings that
# shape the connection, so a changed backend or provider URL gets a fresh one.
_provider_connection: tuple[str, object] | None = None


def _connection():
    global _provider_connection
    key = f"{settings.EMAIL_BACKEND}|{settings.ANYMAIL!r}"
    if _provider_connection is None or _provider_connection[0] != key:
        if _provider_connection is not None:
            _provider_connection[1].close()
        connection = get_connection()
        connection.open()
        _provider_connection = (key, connection)
    return _provider_connection[1]


def _claimed_message(message_id: int) -> OutboundMessage:
    # The row and whether its address is suppressed in one query (as selectors.is_suppressed decides it).
    suppressed = Suppression.objects.filter(address__iexact=Trim(OuterRef("to_email"))).exclude(address="")
    return (
        OutboundMessage.objects.select_related("target")
        .annotate(address_suppressed=Exists(suppressed))
        .get(pk=message_id)
    )


def _sent_record(message: OutboundMessage, email, now) -> None:
    # One statement: the row becomes sent only if it is still ours (a tracking event may already
    # have moved it on), and it remembers what the provider called it either way.
    still_mine = Q(status=Status.SENDING)
    field = OutboundMessage._meta.get_field

    def if_mine(name, value):
        return Case(When(still_mine, then=Value(value)), default=F(name), output_field=field(name))

    OutboundMessage.objects.filter(pk=message.pk).update(
        status=if_mine("status", Status.SENT),
        status_changed_at=if_mine("status_changed_at", now),
        last_error=if_mine("last_error", ""),
        sent_at=now,
        esp_message_id=provider_message_id(email),
    )


def message_send(*, message_id: int, now=None) -> SendOutcome:
    """Send one outbox row if this worker wins its claim; record the result on the row."""
    now = now or timezone.now()
    if not message_claim(message_id=message_id, now=now):
        return SendOutcome("not-claimed")
    message = _claimed_message(message_id)
    mine = OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING)
    if message.to_email and message.address_suppressed:
        mine.update(status=Status.SUPPRESSED, last_error=SUPPRESSED, status_changed_at=now)
        return SendOutcome(Status.SUPPRESSED)
    deferral = _hourly_cap_deferral(message, now)
    if deferral:
        mine.update(status=Status.QUEUED, next_attempt_at=deferral, attempts=F("attempts") - 1, claimed_at=None)
        logger.info("message %s deferred by the target's hourly cap until %s", message.pk, deferral)
        return SendOutcome("deferred")
    email = _email_for(message)
    email.connection = _connection()
    try:
        email.send()
    except Exception as exc:
        return failure_record(mine, exc, attempts=message.attempts, now=now, what=f"message {message.pk}")
    _sent_record(message, email, now)
    logger.info("message %s sent (attempt %s)", message.pk, message.attempts)
    if message.last_error == LEASE_EXPIRED:
        # The worker before us may have handed it to the provider before it died: with no
        # idempotency key in any anymail backend, this is the one possible duplicate. It carries
        # the same Message-ID, so receiving systems can fold the two.
        logger.warning("message %s resent after its worker stopped mid-send: possible duplicate", message.pk)
    return SendOutcome(Status.SENT)


def messages_wake(*, message_ids, countdown: float | None = None) -> int:
    """Ask workers to send these rows now; returns how many wake-ups the broker took."""
    return tasks_publish("message_send", message_ids, countdown=countdown)


def messages_retry_failed(*, campaign_id: int | None = None, user=None) -> int:
    """Put failed messages back in the queue for a fresh round of attempts; returns how many.

    Only ``failed`` rows move (never sent, bounced or suppressed ones), so a retry cannot send a
    message twice. Workers are woken after commit; the relay picks up any the broker misses.
    """
    now = timezone.now()
    with transaction.atomic():
        rows = OutboundMessage.objects.select_for_update().filter(status=Status.FAILED)
        if campaign_id is not None:
            rows = rows.filter(campaign_id=campaign_id)
        ids = list(rows.values_list("pk", flat=True))
        OutboundMessage.objects.filter(pk__in=ids, status=Status.FAILED).update(
            status=Status.QUEUED, attempts=0, next_attempt_at=now, claimed_at=None, status_changed_at=now
        )
        publish_each_after_commit("message_send", ids)
    logger.info("retry of %d failed message(s) requested by user %s", len(ids), getattr(user, "pk", None))
    return len(ids)


def outbox_relay(*, now=None) -> dict:
    """Requeue rows whose worker died mid-send, then wake workers for every due queued row."""
    now = now or timezone.now()
    expired = now - datetime.timedelta(seconds=settings.EMAIL_LEASE_SECONDS)
    direct = OutboundMessage.objects.filter(delivery=OutboundMessage.Delivery.DIRECT)
    stuck = list(
        direct.filter(status=Status.SENDING, claimed_at__lt=expired).values_list("pk", flat=True)[:RELAY_BATCH]
    )
    requeued = 0
    if stuck:
        requeued = OutboundMessage.objects.filter(pk__in=stuck, status=Status.SENDING, claimed_at__lt=expired).update(
            status=Status.QUEUED, next_attempt_at=now, claimed_at=None, last_error=LEASE_EXPIRED
        )
        logger.warning("outbox relay requeued %s message(s) whose worker stopped mid-send: %s", requeued, stuck)
    due = list(
        direct.filter(status=Status.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:RELAY_BATCH]
    )
    woken = messages_wake(message_ids=due) if due else 0
    return {"requeued": requeued, "due": len(due), "woken": woken}
