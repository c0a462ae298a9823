"""Delivering: claim a batch of outbox rows, send them through django-anymail, record each result.

Exactly once: a worker sends a row only after one conditional UPDATE moved it from ``queued``
to ``sending`` (one statement claims a whole batch), so a task delivered twice sends once, and
each sent row is recorded before the next goes out, so a killed worker leaves at most the one
row it was handing over in doubt. Transient failures go back to ``queued``
with exponential backoff and jitter; the relay requeues rows whose worker died mid-send and
wakes workers for every due row, so a lost wake-up (broker down) only delays a message.
"""

import datetime
import logging
import operator
import random
from dataclasses import dataclass
from functools import reduce

from anymail.exceptions import AnymailAPIError, AnymailError
from anymail.message import AnymailMessage
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Trim
from django.utils import timezone
from django.utils.html import escape, linebreaks

from ..models import OutboundMessage, Suppression, Target
from ..publish import task_publish
from ..selectors import is_suppressed
from ..text import clean_line
from .compose import campaign_address, header_address
from .provider import provider_connection

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status
RELAY_BATCH = 500
# The reason left on a row the relay took back from a worker that stopped mid-send.
LEASE_EXPIRED = "Lease expired: requeued."
# ...and on the rows of that worker's batch it had not yet handed to the provider.
LEASE_EXPIRED_UNSENT = "Lease expired before sending: requeued."
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
        to=message.recipient,
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


def messages_claim(*, now, limit: int, ids=None) -> list[int]:
    """Move up to ``limit`` due, queued, direct rows to ``sending`` in one statement; their ids.

    One ``UPDATE … RETURNING`` claims the whole batch under the lease rules of a single claim
    (``queued``, direct, ``next_attempt_at <= now``; ``claimed_at`` starts the lease and
    ``attempts`` counts it). On PostgreSQL the rows are picked with ``FOR UPDATE SKIP LOCKED``,
    so workers claiming at once get disjoint batches without waiting on each other; SQLite
    runs one writer at a time, so the same statement without the locking clause is as safe.
    ``ids`` limits the claim to those rows (a task woken for one message).
    """
    table = connection.ops.quote_name(OutboundMessage._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(now)
    only = ""
    params = [Status.QUEUED, OutboundMessage.Delivery.DIRECT, now]
    if ids is not None:
        ids = [int(pk) for pk in ids]
        if not ids:
            return []
        only = f" AND id IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    # The batch is a MATERIALIZED common table expression, picked once: a plain ``IN (SELECT …
    # LIMIT …)`` may be re-run by PostgreSQL's planner for each row and claim past the limit.
    # Only the quoted table name and placeholders are formatted in; every value is a parameter.
    sql = (
        f"WITH batch AS MATERIALIZED (SELECT id FROM {table}"  # noqa: S608
        f" WHERE status = %s AND delivery = %s AND next_attempt_at <= %s{only}"
        f" ORDER BY next_attempt_at, id LIMIT %s{lock})"
        f" UPDATE {table} SET status = %s, claimed_at = %s, status_changed_at = %s, attempts = attempts + 1"
        f" WHERE status = %s AND id IN (SELECT id FROM batch) RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, Status.SENDING, now, now, Status.QUEUED])
        return sorted(row[0] for row in cursor.fetchall())


def message_claim(*, message_id: int, now) -> bool:
    """Atomically move one due, queued, direct row to sending. Only the winner may send it."""
    return bool(messages_claim(now=now, limit=1, ids=[message_id]))


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
        # Rows in flight in other workers count; the rest of this row's own batch (same claim
        # time) does not until it is sent, or a batch larger than the cap would defer itself whole.
        in_flight = Q(status=Status.SENDING) & ~Q(claimed_at=message.claimed_at)
        recent = recent.exclude(pk=message.pk).filter(
            in_flight | Q(sent_at__gt=hour_ago, status__in=[Status.SENT, Status.DELIVERED])
        )
        if recent.count() < target.max_messages_per_hour:
            return None
        oldest = recent.filter(sent_at__isnull=False).order_by("sent_at").values_list("sent_at", flat=True).first()
        return max((oldest or now) + datetime.timedelta(hours=1), now + datetime.timedelta(seconds=60))


def _claimed_messages(ids: list[int]) -> list[OutboundMessage]:
    """The rows, each with ``address_suppressed`` as ``selectors.is_suppressed`` decides it.

    A row with its own address is checked in the same query. A thank-you's address is the
    supporter's, encrypted, so SQL cannot compare it: the batch's addresses are asked about in
    one more query, and only when that finds one is each asked about on its own (so a match is
    decided exactly as ``is_suppressed`` decides it, never by a lower-casing of ours).
    """
    suppressed = Suppression.objects.filter(address__iexact=Trim(OuterRef("to_email"))).exclude(address="")
    messages = list(
        OutboundMessage.objects.select_related("target", "action__supporter")
        .annotate(address_suppressed=Exists(suppressed))
        .filter(pk__in=ids)
        .order_by("pk")
    )
    theirs = [m for m in messages if not m.to_email and m.recipient]
    addresses = {m.recipient.strip() for m in theirs}
    any_found = (
        addresses
        and Suppression.objects.filter(
            reduce(operator.or_, (Q(address__iexact=address) for address in addresses))
        ).exists()
    )
    for message in theirs:
        message.address_suppressed = bool(any_found) and is_suppressed(message.recipient)
    return messages


def _sent_record(message: OutboundMessage, email, now) -> None:
    # The row becomes sent only if it is still ours; if a tracking event has already moved it on,
    # it keeps that status and still learns what the provider called it. Plain values, not a
    # CASE per column: building that expression cost more CPU than the rest of the send.
    esp_message_id = provider_message_id(email)
    mine = OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING)
    if not mine.update(
        status=Status.SENT, status_changed_at=now, last_error="", sent_at=now, esp_message_id=esp_message_id
    ):
        OutboundMessage.objects.filter(pk=message.pk).update(sent_at=now, esp_message_id=esp_message_id)


def _claimed_send(message: OutboundMessage, provider, now) -> SendOutcome:
    """Send one row this worker holds (``sending``) over ``provider``; record what happened."""
    mine = OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING)
    if message.address_suppressed:
        mine.update(status=Status.SUPPRESSED, last_error=SUPPRESSED, status_changed_at=now)
        return SendOutcome(Status.SUPPRESSED)
    deferral = _hourly_cap_deferral(message, now)
    if deferral:
        mine.update(status=Status.QUEUED, next_attempt_at=deferral, attempts=F("attempts") - 1, claimed_at=None)
        logger.info("message %s deferred by the target's hourly cap until %s", message.pk, deferral)
        return SendOutcome("deferred")
    email = _email_for(message)
    email.connection = provider
    try:
        email.send()
    except Exception as exc:
        return failure_record(mine, exc, attempts=message.attempts, now=now, what=f"message {message.pk}")
    # Recorded before the next row goes out, so a worker killed at any moment leaves at most the
    # one row it was handing over unrecorded (see outbox_relay).
    _sent_record(message, email, now)
    logger.info("message %s sent (attempt %s)", message.pk, message.attempts)
    if message.last_error == LEASE_EXPIRED:
        # The worker before us may have handed it to the provider before it died: with no
        # idempotency key in any anymail backend, this is the one possible duplicate. It carries
        # the same Message-ID, so receiving systems can fold the two.
        logger.warning("message %s resent after its worker stopped mid-send: possible duplicate", message.pk)
    return SendOutcome(Status.SENT)


def messages_send(*, now=None, limit: int | None = None, ids=None) -> dict[int, SendOutcome]:
    """Claim a batch of due rows in one statement and send them, in id order, over one provider
    connection opened for the batch; returns each claimed row's outcome by id."""
    now = now or timezone.now()
    claimed = messages_claim(now=now, limit=limit or settings.EMAIL_BATCH_SIZE, ids=ids)
    if not claimed:
        return {}
    outcomes = {}
    # One connection (for anymail: one HTTP session, its socket kept alive) for the whole batch.
    with provider_connection() as provider:
        for message in _claimed_messages(claimed):
            outcomes[message.pk] = _claimed_send(message, provider, now)
    return outcomes


def message_send(*, message_id: int, now=None) -> SendOutcome:
    """Send one outbox row if this worker wins its claim; record the result on the row."""
    outcomes = messages_send(now=now, limit=1, ids=[message_id])
    return outcomes.get(message_id, SendOutcome("not-claimed"))


def messages_wake(*, count: int, countdown: float | None = None) -> int:
    """Ask workers to send ``count`` due rows: one batch wake-up per EMAIL_BATCH_SIZE rows (each
    claims whichever rows are due), stopping at the first the broker refuses. Returns how many
    wake-ups went out."""
    woken = 0
    for _ in range(-(-count // settings.EMAIL_BATCH_SIZE)):
        if not task_publish("messages_send", countdown=countdown):
            break
        woken += 1
    return woken


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
        transaction.on_commit(lambda: messages_wake(count=len(ids)))
    logger.info("retry of %d failed message(s) requested by user %s", len(ids), getattr(user, "pk", None))
    return len(ids)


def _stuck_requeue(*, now, expired) -> int:
    """Put back rows left ``sending`` past their lease; returns how many.

    A worker sends its batch in id order and records each row before the next goes out, so of
    one dead worker's batch (its rows share ``claimed_at``) only the first row still ``sending``
    may have reached the provider: that one is marked as a possible duplicate, the rest were
    never handed over and go back quietly.
    """
    direct = OutboundMessage.objects.filter(delivery=OutboundMessage.Delivery.DIRECT)
    stuck = list(
        direct.filter(status=Status.SENDING, claimed_at__lt=expired)
        .order_by("claimed_at", "pk")
        .values_list("pk", "claimed_at")[:RELAY_BATCH]
    )
    first_of_batch: dict = {}
    for pk, claimed_at in stuck:
        first_of_batch.setdefault(claimed_at, pk)
    in_flight = sorted(first_of_batch.values())
    unsent = sorted(pk for pk, _ in stuck if pk not in first_of_batch.values())
    requeued = 0
    # A row never handed over was not attempted: its claim does not count against EMAIL_MAX_ATTEMPTS.
    for ids, note, attempts in (
        (in_flight, LEASE_EXPIRED, F("attempts")),
        (unsent, LEASE_EXPIRED_UNSENT, F("attempts") - 1),
    ):
        if ids:
            requeued += OutboundMessage.objects.filter(
                pk__in=ids, status=Status.SENDING, claimed_at__lt=expired
            ).update(status=Status.QUEUED, next_attempt_at=now, claimed_at=None, last_error=note, attempts=attempts)
    if stuck:
        logger.warning(
            "outbox relay requeued %s message(s) whose worker stopped mid-send: %s", len(in_flight), in_flight
        )
    if unsent:
        logger.warning("outbox relay requeued %s message(s) claimed but never sent by a stopped worker", len(unsent))
    return requeued


def outbox_relay(*, now=None) -> dict:
    """Requeue rows whose worker died mid-send, then wake workers for every due queued row."""
    now = now or timezone.now()
    expired = now - datetime.timedelta(seconds=settings.EMAIL_LEASE_SECONDS)
    requeued = _stuck_requeue(now=now, expired=expired)
    due = OutboundMessage.objects.filter(
        delivery=OutboundMessage.Delivery.DIRECT, status=Status.QUEUED, next_attempt_at__lte=now
    )[:RELAY_BATCH].count()
    woken = messages_wake(count=due)
    return {"requeued": requeued, "due": due, "woken": woken}
