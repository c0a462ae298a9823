"""Emails to targets: personalising, the outbox, sending, digests, tracking and the live switch.

Every write about outbound email goes through these functions. The outbox row is the truth: a
message is created in the same transaction as the supporter's action, Celery is only asked to
wake a worker after commit, and a worker sends a row only after winning an atomic claim on it.
"""

import datetime
import hashlib
import logging
import random
import zoneinfo
from dataclasses import dataclass, field
from email.utils import parseaddr
from urllib.parse import quote, urljoin

from anymail.exceptions import AnymailAPIError, AnymailError
from anymail.message import AnymailMessage
from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Trim
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape, linebreaks

from . import placeholders
from .models import (
    ActionKind,
    CampaignDelivery,
    DeliverySwitch,
    OutboundMessage,
    Supporter,
    Suppression,
    Target,
    TrackingEvent,
)
from .privacy import supporter_data_path
from .services import ActionResult, action_take
from .text import clean_line, clean_paragraphs

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status
SUBJECT_MAX_LENGTH = OutboundMessage._meta.get_field("subject").max_length

# What a supporter sees in an editable message before we know their name; replaced by their own
# cleaned details when they send (and by nothing else: their text is never read as a template).
SUPPORTER_HINTS = {
    "first_name": "[your first name]",
    "last_name": "[your last name]",
    "full_name": "[your name]",
    "city": "[your city]",
    "postal_code": "[your ZIP code]",
    "personal_note": "",
}


# --- What a campaign tells us (cms builds these; actions never imports cms) ----------------------


@dataclass(frozen=True)
class TargetSpec:
    target: Target
    ask: str = ""


@dataclass(frozen=True)
class EmailCampaign:
    """Everything about a campaign's email action that the outbox needs, as plain values."""

    campaign_id: int
    title: str
    sender_name: str
    subject_template: str
    body_template: str
    targets: list[TargetSpec]
    page_url: str = ""
    next_step_heading: str = ""
    next_step_url: str = ""


@dataclass(frozen=True)
class Draft:
    """The message a supporter sends to one target, fully personalised."""

    target: Target
    subject: str
    body: str


@dataclass
class SendOutcome:
    status: str
    detail: str = ""
    retry_in: float | None = None
    extra: dict = field(default_factory=dict)


# --- Personalising ------------------------------------------------------------------------------


def supporter_values(*, supporter: Supporter | None, personal_note: str = "", hints: bool = False) -> dict:
    """Placeholder values for the supporter, each cleaned to one line (the note keeps paragraphs)."""
    if supporter is None:
        return dict(SUPPORTER_HINTS) if hints else {name: "" for name in SUPPORTER_HINTS}
    return {
        "first_name": clean_line(supporter.first_name),
        "last_name": clean_line(supporter.last_name),
        "full_name": clean_line(supporter.full_name),
        "city": clean_line(supporter.city),
        "postal_code": clean_line(supporter.postal_code),
        "personal_note": clean_paragraphs(personal_note),
    }


def target_values(*, spec: TargetSpec) -> dict:
    target = spec.target
    return {
        "target_name": clean_line(target.name),
        "target_title": clean_line(target.title),
        "salutation": clean_line(target.salutation) or f"Dear {clean_line(target.name)}",
        "ask": clean_line(spec.ask),
    }


def message_render(*, campaign: EmailCampaign, spec: TargetSpec, values: dict) -> Draft:
    """The campaign's templates filled in for one target. Values are inserted as plain text."""
    merged = {**values, **target_values(spec=spec)}
    subject = clean_line(placeholders.render(campaign.subject_template, merged))[:SUBJECT_MAX_LENGTH]
    body = clean_paragraphs(placeholders.render(campaign.body_template, merged))
    return Draft(target=spec.target, subject=subject, body=body)


def script_render(*, template: str, spec: TargetSpec, supporter: Supporter | None) -> str:
    """A call script filled in for one target, cleaned like an email body. A caller we do not
    recognise sees the same bracketed hints as in an email ("[your first name]")."""
    values = {**supporter_values(supporter=supporter, hints=supporter is None), **target_values(spec=spec)}
    return clean_paragraphs(placeholders.render(template, values))


def supporter_text_fill(text: str, *, supporter: Supporter) -> str:
    """Replace only our own bracketed hints in text a supporter edited, with their own details."""
    values = supporter_values(supporter=supporter)
    for name, hint in SUPPORTER_HINTS.items():
        if hint:
            text = text.replace(hint, values[name])
    return text


def supporter_subject_fill(text: str, *, supporter: Supporter) -> str:
    """A subject the supporter edited, with our hints replaced: one line, cut to what a subject
    holds. A subject that fitted the form can outgrow that once each "[your name]" in it becomes
    the supporter's name (up to 201 characters)."""
    return clean_line(supporter_text_fill(text, supporter=supporter))[:SUBJECT_MAX_LENGTH]


def from_name(*, supporter: Supporter, sender_name: str) -> str:
    """'Jane Doe via Free Kang Hen', one line, no characters that could break a header."""
    return clean_line(f"{supporter.full_name} via {sender_name}")[:250]


def _header_address(name: str, address: str) -> str:
    name = clean_line(name).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{name}" <{address}>' if name else address


def campaign_address() -> str:
    """The sending address on the organisation's own domain (never a supporter's)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def mailto_link(message: OutboundMessage) -> str:
    """A mailto: link with the personalised text, for offices we may not send to ourselves."""
    query = f"subject={quote(message.subject, safe='')}&body={quote(message.body, safe='')}"
    return f"mailto:{quote(message.to_email, safe='@')}?{query}"


# --- The live-delivery switch -------------------------------------------------------------------


def delivery_for(*, campaign_id: int) -> tuple[bool, str]:
    """(deliver to targets?, review address) for a campaign. Off until an editor switches it on."""
    row = CampaignDelivery.objects.filter(campaign_id=campaign_id).first()
    review = (row.review_address if row else "") or settings.EMAIL_REVIEW_ADDRESS
    return bool(row and row.deliver_to_targets), review


def delivery_switch(*, campaign_id: int, deliver_to_targets: bool, user, review_address: str = "") -> CampaignDelivery:
    """Switch live delivery on or off for a campaign and log who did it and when."""
    now = timezone.now()
    with transaction.atomic():
        row, _ = CampaignDelivery.objects.select_for_update().get_or_create(campaign_id=campaign_id)
        row.deliver_to_targets = deliver_to_targets
        row.review_address = review_address.strip()
        row.switched_by = user
        row.switched_at = now
        row.save()
        DeliverySwitch.objects.create(
            campaign_id=campaign_id,
            deliver_to_targets=deliver_to_targets,
            review_address=row.review_address,
            switched_by=user,
        )
    logger.info(
        "delivery switched: campaign=%s live=%s user=%s", campaign_id, deliver_to_targets, getattr(user, "pk", None)
    )
    return row


def is_suppressed(address: str) -> bool:
    return bool(address) and Suppression.objects.filter(address__iexact=address.strip()).exists()


# --- Taking the email action --------------------------------------------------------------------


def next_digest_at(*, target: Target, now: datetime.datetime) -> datetime.datetime:
    """The next time the target's daily digest goes out: digest_hour in their own time zone."""
    zone = zoneinfo.ZoneInfo(target.time_zone or settings.TIME_ZONE)
    local = now.astimezone(zone)
    due = local.replace(hour=min(target.digest_hour, 23), minute=0, second=0, microsecond=0)
    if due <= local:
        due = (local + datetime.timedelta(days=1)).replace(hour=min(target.digest_hour, 23))
    return due.astimezone(datetime.UTC)


def _message_for(*, action, campaign: EmailCampaign, draft: Draft, supporter, live: bool, review_to: str, now):
    target = draft.target
    # An office whose address no organiser has verified yet gets nothing, even when live.
    live = live and not target.verify_before_launch
    row = OutboundMessage(
        action=action,
        campaign_id=campaign.campaign_id,
        target=target,
        kind=OutboundMessage.Kind.TO_TARGET,
        reply_to=supporter.email,
        from_name=from_name(supporter=supporter, sender_name=campaign.sender_name),
        sender_name=clean_line(campaign.sender_name)[:100],
        subject=draft.subject,
        body=draft.body,
        next_attempt_at=now,
        review=not live,
        to_email=target.email if live else review_to,
    )
    if target.delivery == Target.Delivery.MAILTO or (live and not target.email):
        # No address we may send to: the supporter's own mail client sends it.
        row.delivery, row.status, row.next_attempt_at = OutboundMessage.Delivery.MAILTO, Status.MAILTO, None
    elif target.delivery == Target.Delivery.DIGEST and live:
        row.delivery, row.next_attempt_at = OutboundMessage.Delivery.DIGEST, next_digest_at(target=target, now=now)
    if row.status == Status.QUEUED and is_suppressed(row.to_email):
        row.status, row.next_attempt_at, row.last_error = Status.SUPPRESSED, None, "Address is suppressed."
    return row


def _thank_you_for(*, action, campaign: EmailCampaign, supporter, messages, now) -> OutboundMessage:
    names = [m.target.name for m in messages]
    context = {
        "supporter": supporter,
        "campaign": campaign,
        "messages": messages,
        # The supporter's own signed data page, so one click lets them see or delete what we hold.
        "data_page_url": urljoin(campaign.page_url, supporter_data_path(supporter)),
    }
    body = render_to_string("actions/email/thank_you.txt", context).strip()
    subject = clean_line(f"Thank you: your emails to {', '.join(names)}" if names else "Thank you for taking part")
    return OutboundMessage(
        action=action,
        campaign_id=campaign.campaign_id,
        kind=OutboundMessage.Kind.THANK_YOU,
        to_email=supporter.email,
        from_name=clean_line(campaign.sender_name)[:250],
        sender_name=clean_line(campaign.sender_name)[:100],
        subject=subject[:SUBJECT_MAX_LENGTH],
        body=body,
        next_attempt_at=now,
        status=Status.SUPPRESSED if is_suppressed(supporter.email) else Status.QUEUED,
    )


def email_action_take(
    *,
    campaign: EmailCampaign,
    supporter: Supporter,
    drafts: list[Draft],
    source: str = "",
    referrer_code: str = "",
    ip_hash: str = "",
    flag_reason: str = "",
) -> ActionResult:
    """Record the supporter's email action and its outbox rows in one transaction.

    One ``Action(kind=email)`` per supporter per campaign; one ``OutboundMessage`` per target plus
    one thank-you. A repeat returns the existing action and writes nothing. A honeypot hit writes
    no messages; any other flag sends the messages to the review address instead of the targets. Workers are woken
    after commit; if the broker is down, the periodic relay sends the rows later.
    """
    created_ids: list[int] = []

    def create_messages(action):
        if flag_reason == "honeypot":
            return  # a bot: stored and answered like a success, but nothing is sent
        now = timezone.now()
        live, review_to = delivery_for(campaign_id=campaign.campaign_id)
        # Otherwise-flagged actions (over a rate limit) may be real people behind one address:
        # their messages are kept, but go to the organisers' review address, not the targets.
        live = live and not flag_reason
        rows = [
            _message_for(
                action=action, campaign=campaign, draft=d, supporter=supporter, live=live, review_to=review_to, now=now
            )
            for d in drafts
            if d.target.delivery != Target.Delivery.NONE
        ]
        rows.append(_thank_you_for(action=action, campaign=campaign, supporter=supporter, messages=rows, now=now))
        for row in rows:
            row.save()
        created_ids.extend(r.pk for r in rows if r.status == Status.QUEUED and r.delivery == r.Delivery.DIRECT)

    result = action_take(
        campaign_id=campaign.campaign_id,
        kind=ActionKind.EMAIL,
        supporter=supporter,
        source=source,
        referrer_code=referrer_code,
        ip_hash=ip_hash,
        flag_reason=flag_reason,
        on_created=create_messages,
    )
    if created_ids:
        transaction.on_commit(lambda: messages_wake(message_ids=created_ids))
    return result


def messages_wake(*, message_ids, countdown: float | None = None) -> int:
    """Ask workers to send these rows. A dead broker is logged, never raised: the relay catches up."""
    from .tasks import message_send as message_send_task

    woken = 0
    for message_id in message_ids:
        try:
            if countdown:
                message_send_task.apply_async((message_id,), countdown=countdown)
            else:
                message_send_task.delay(message_id)
            woken += 1
        except Exception:
            logger.warning("broker unavailable; message %s left to the outbox relay", message_id)
            break
    return woken


def messages_retry_failed(*, campaign_id: int | None = None, user=None) -> int:
    """Put failed messages back in the queue for a fresh round of attempts; returns how many.

    Only ``failed`` rows move (never sent, bounced or suppressed ones), so a retry cannot send a
    message twice. Workers are woken after commit; the relay picks up any the broker misses.
    """
    now = timezone.now()
    with transaction.atomic():
        rows = OutboundMessage.objects.select_for_update().filter(status=OutboundMessage.Status.FAILED)
        if campaign_id is not None:
            rows = rows.filter(campaign_id=campaign_id)
        ids = list(rows.values_list("pk", flat=True))
        OutboundMessage.objects.filter(pk__in=ids, status=OutboundMessage.Status.FAILED).update(
            status=OutboundMessage.Status.QUEUED,
            attempts=0,
            next_attempt_at=now,
            claimed_at=None,
            status_changed_at=now,
        )
        transaction.on_commit(lambda: messages_wake(message_ids=ids))
    logger.info("retry of %d failed message(s) requested by user %s", len(ids), getattr(user, "pk", None))
    return len(ids)


# --- Sending ------------------------------------------------------------------------------------


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


def _email_for(message: OutboundMessage) -> AnymailMessage:
    tags = [f"campaign-{message.campaign_id}"]
    if message.target_id:
        tags.append(f"target-{message.target_id}")
    email = AnymailMessage(
        subject=clean_line(message.subject),
        body=message.body,
        from_email=_header_address(message.from_name, campaign_address()),
        to=[message.to_email],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={"Message-ID": f"<outbox-{message.pk}@{campaign_address().rpartition('@')[2]}>"},
    )
    email.attach_alternative(linebreaks(escape(message.body)), "text/html")
    email.metadata = {
        "message_id": str(message.pk),
        "campaign": str(message.campaign_id),
        "target": str(message.target_id or ""),
    }
    email.tags = tags[: settings.EMAIL_MAX_TAGS]
    return email


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
    key = f"{settings.EMAIL_BACKEND}|{getattr(settings, 'ANYMAIL', None)!r}"
    if _provider_connection is None or _provider_connection[0] != key:
        if _provider_connection is not None:
            _provider_connection[1].close()
        connection = get_connection()
        connection.open()
        _provider_connection = (key, connection)
    return _provider_connection[1]


def message_send(*, message_id: int, now=None) -> SendOutcome:
    """Send one outbox row if this worker wins its claim; record the result on the row."""
    now = now or timezone.now()
    if not message_claim(message_id=message_id, now=now):
        return SendOutcome("not-claimed")
    # The row and whether its address is suppressed in one query (as is_suppressed decides it).
    message = (
        OutboundMessage.objects.select_related("target")
        .annotate(
            address_suppressed=Exists(
                Suppression.objects.filter(address__iexact=Trim(OuterRef("to_email"))).exclude(address="")
            )
        )
        .get(pk=message_id)
    )
    mine = OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING)
    if message.to_email and message.address_suppressed:
        mine.update(status=Status.SUPPRESSED, last_error="Address is suppressed.", status_changed_at=now)
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
        return _record_failure(message, exc, now)
    status = getattr(email, "anymail_status", None)
    esp_id = (getattr(status, "message_id", None) or "") if status else ""
    # One statement: the row becomes sent only if it is still ours (a tracking event may already
    # have moved it on), and it remembers what the provider called it either way.
    still_mine = Q(status=Status.SENDING)
    field = OutboundMessage._meta.get_field
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=Case(When(still_mine, then=Value(Status.SENT)), default=F("status"), output_field=field("status")),
        status_changed_at=Case(
            When(still_mine, then=Value(now)), default=F("status_changed_at"), output_field=field("status_changed_at")
        ),
        last_error=Case(When(still_mine, then=Value("")), default=F("last_error"), output_field=field("last_error")),
        sent_at=now,
        esp_message_id=str(esp_id)[:255],
    )
    logger.info("message %s sent (attempt %s)", message.pk, message.attempts)
    if message.last_error == LEASE_EXPIRED:
        # The worker before us may have handed it to the provider before it died: with no
        # idempotency key in any anymail backend, this is the one possible duplicate. It carries
        # the same Message-ID, so receiving systems can fold the two.
        logger.warning("message %s resent after its worker stopped mid-send: possible duplicate", message.pk)
    return SendOutcome(Status.SENT)


def _record_failure(message: OutboundMessage, exc: Exception, now) -> SendOutcome:
    reason = f"{type(exc).__name__}: {exc}"[:1000]
    mine = OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING)
    if is_transient(exc) and message.attempts < settings.EMAIL_MAX_ATTEMPTS:
        delay = backoff_seconds(message.attempts)
        mine.update(
            status=Status.QUEUED,
            next_attempt_at=now + datetime.timedelta(seconds=delay),
            claimed_at=None,
            last_error=reason,
        )
        logger.warning("message %s: transient error on attempt %s, retry in %.0fs", message.pk, message.attempts, delay)
        return SendOutcome("retry", reason, retry_in=delay)
    mine.update(status=Status.FAILED, last_error=reason, claimed_at=None, status_changed_at=now)
    logger.error("message %s failed after %s attempt(s): %s", message.pk, message.attempts, type(exc).__name__)
    return SendOutcome(Status.FAILED, reason)


# --- The relay and the daily digests ------------------------------------------------------------

RELAY_BATCH = 500
# The reason left on a row the relay took back from a worker that stopped mid-send.
LEASE_EXPIRED = "Lease expired: requeued."


def outbox_relay(*, now=None) -> dict:
    """Requeue rows whose worker died mid-send, then wake workers for every due queued row."""
    now = now or timezone.now()
    expired = now - datetime.timedelta(seconds=settings.EMAIL_LEASE_SECONDS)
    stuck = list(
        OutboundMessage.objects.filter(
            status=Status.SENDING, delivery=OutboundMessage.Delivery.DIRECT, claimed_at__lt=expired
        ).values_list("pk", flat=True)[:RELAY_BATCH]
    )
    requeued = 0
    if stuck:
        requeued = OutboundMessage.objects.filter(pk__in=stuck, status=Status.SENDING, claimed_at__lt=expired).update(
            status=Status.QUEUED, next_attempt_at=now, claimed_at=None, last_error=LEASE_EXPIRED
        )
        logger.warning("outbox relay requeued %s message(s) whose worker stopped mid-send: %s", requeued, stuck)
    due = list(
        OutboundMessage.objects.filter(
            status=Status.QUEUED, delivery=OutboundMessage.Delivery.DIRECT, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:RELAY_BATCH]
    )
    woken = messages_wake(message_ids=due) if due else 0
    return {"requeued": requeued, "due": len(due), "woken": woken}


def digests_send(*, now=None) -> int:
    """Send each target's due daily digest (one email bundling the day's messages); returns how many."""
    now = now or timezone.now()
    due = (
        OutboundMessage.objects.filter(
            status=Status.QUEUED, delivery=OutboundMessage.Delivery.DIGEST, next_attempt_at__lte=now
        )
        .values_list("target_id", "campaign_id", "to_email")
        .distinct()
    )
    return sum(
        1
        for target_id, campaign_id, to_email in list(due)
        if _digest_send(target_id=target_id, campaign_id=campaign_id, to_email=to_email, now=now)
    )


def _digest_send(*, target_id: int, campaign_id: int, to_email: str, now) -> bool:
    rows = OutboundMessage.objects.filter(
        status=Status.QUEUED,
        delivery=OutboundMessage.Delivery.DIGEST,
        next_attempt_at__lte=now,
        target_id=target_id,
        campaign_id=campaign_id,
        to_email=to_email,
    )
    with transaction.atomic():
        ids = list(rows.select_for_update(skip_locked=True).order_by("created_at").values_list("pk", flat=True)[:1000])
        if not ids:
            return False
        OutboundMessage.objects.filter(pk__in=ids).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, status_changed_at=now
        )
    messages = list(OutboundMessage.objects.filter(pk__in=ids).select_related("target").order_by("created_at"))
    first = messages[0]
    mine = OutboundMessage.objects.filter(pk__in=ids, status=Status.SENDING)
    if is_suppressed(to_email):
        mine.update(status=Status.SUPPRESSED, last_error="Address is suppressed.", status_changed_at=now)
        return False
    body = render_to_string("actions/email/digest.txt", {"messages": messages, "target": first.target}).strip()
    email = AnymailMessage(
        subject=clean_line(f"{len(messages)} messages today from supporters of {first.sender_name}"),
        body=body,
        from_email=_header_address(first.sender_name, campaign_address()),
        to=[to_email],
    )
    email.attach_alternative(linebreaks(escape(body)), "text/html")
    email.metadata = {"digest_of": str(len(ids)), "campaign": str(campaign_id), "target": str(target_id)}
    email.tags = [f"campaign-{campaign_id}", f"target-{target_id}"][: settings.EMAIL_MAX_TAGS]
    try:
        email.send()
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"[:1000]
        if is_transient(exc) and first.attempts < settings.EMAIL_MAX_ATTEMPTS:
            retry_at = now + datetime.timedelta(seconds=backoff_seconds(first.attempts))
            mine.update(status=Status.QUEUED, next_attempt_at=retry_at, claimed_at=None, last_error=reason)
        else:
            mine.update(status=Status.FAILED, last_error=reason, claimed_at=None, status_changed_at=now)
        logger.warning("digest for target %s failed: %s", target_id, type(exc).__name__)
        return False
    status = getattr(email, "anymail_status", None)
    esp_id = (getattr(status, "message_id", None) or "") if status else ""
    mine.update(status=Status.SENT, sent_at=now, esp_message_id=str(esp_id)[:255], status_changed_at=now)
    logger.info("digest of %s message(s) sent to target %s", len(ids), target_id)
    return True


# --- Tracking -----------------------------------------------------------------------------------

# How far along a message is; a status only ever moves to a higher rank, so tracking events
# replayed in any order end in the same state (a late "delivered" never hides a bounce).
STATUS_RANK = {
    Status.QUEUED: 0,
    Status.SENDING: 1,
    Status.SENT: 2,
    Status.DELIVERED: 3,
    Status.FAILED: 4,
    Status.BOUNCED: 5,
}
EVENT_STATUS = {
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "opened": Status.DELIVERED,
    "clicked": Status.DELIVERED,
    "complained": Status.DELIVERED,
    "bounced": Status.BOUNCED,
    "rejected": Status.FAILED,
    "failed": Status.FAILED,
}
SUPPRESSING_EVENTS = {"bounced", "complained", "unsubscribed"}


def _event_key(*, esp_name: str, event) -> str:
    if event.event_id:
        return f"{esp_name}:{event.event_id}"[:255]
    # Some providers give no event id (Postmark deliveries): derive a stable one from the event.
    stamp = event.timestamp.isoformat() if event.timestamp else ""
    raw = f"{esp_name}|{event.message_id}|{event.event_type}|{stamp}|{event.recipient}"
    return f"{esp_name}:h:{hashlib.sha256(raw.encode()).hexdigest()}"


def tracking_event_record(*, esp_name: str, event) -> TrackingEvent | None:
    """Store one provider event once (by event id) and ask a worker to apply it. Fast: runs in the
    webhook request."""
    metadata = event.metadata or {}
    message = None
    our_id = str(metadata.get("message_id", ""))
    if our_id.isdigit():
        message = OutboundMessage.objects.filter(pk=int(our_id)).first()
    if message is None and event.message_id:
        message = OutboundMessage.objects.filter(esp_message_id=str(event.message_id)).first()
    key = _event_key(esp_name=esp_name, event=event)
    row, created = TrackingEvent.objects.get_or_create(
        event_id=key,
        defaults=dict(
            message=message,
            esp_message_id=str(event.message_id or "")[:255],
            event_type=str(event.event_type or "unknown")[:20],
            reject_reason=str(event.reject_reason or "")[:40],
            recipient=(event.recipient or "")[:254],
            timestamp=event.timestamp or timezone.now(),
        ),
    )
    if not created:
        return None
    transaction.on_commit(lambda: _wake_event(row.pk))
    return row


def _wake_event(event_pk: int) -> None:
    from .tasks import tracking_event_apply as apply_task

    try:
        apply_task.delay(event_pk)
    except Exception:
        logger.warning("broker unavailable; tracking event %s left to the relay", event_pk)


def tracking_event_apply(*, event_pk: int) -> None:
    """Bring a message's status up to date with every event stored for it, and suppress bounces."""
    event = TrackingEvent.objects.filter(pk=event_pk).first()
    if event is None:
        return
    with transaction.atomic():
        message_q = Q(pk=event.message_id) if event.message_id else Q(pk__in=[])
        if event.esp_message_id:
            message_q |= Q(esp_message_id=event.esp_message_id)
        for message in OutboundMessage.objects.select_for_update().filter(message_q):
            _message_status_refresh(message)
        if event.event_type in SUPPRESSING_EVENTS:
            address = (event.recipient or (event.message.to_email if event.message else "")).strip().lower()
            if address:
                Suppression.objects.get_or_create(
                    address=address, defaults={"reason": event.event_type, "detail": event.reject_reason}
                )
        TrackingEvent.objects.filter(pk=event.pk).update(applied=True)


def _message_status_refresh(message: OutboundMessage) -> None:
    events_q = Q(message=message)
    if message.esp_message_id:
        events_q |= Q(esp_message_id=message.esp_message_id)
    events = list(TrackingEvent.objects.filter(events_q))
    if message.status not in STATUS_RANK:
        return  # suppressed and mailto rows were never sent by us
    best = message.status
    for event in events:
        status = EVENT_STATUS.get(event.event_type)
        if status and STATUS_RANK[status] > STATUS_RANK[best]:
            best = status
    delivered = [e.timestamp for e in events if EVENT_STATUS.get(e.event_type) == Status.DELIVERED]
    changed = {}
    if best != message.status:
        changed.update(status=best, status_changed_at=timezone.now(), claimed_at=None)
    if delivered and message.delivered_at != min(delivered):
        changed["delivered_at"] = min(delivered)
    if changed:
        OutboundMessage.objects.filter(pk=message.pk).update(**changed)


def tracking_events_relay(*, now=None, grace_seconds: float = 30) -> int:
    """Apply stored events that no worker applied in time (the broker was down when they came)."""
    before = (now or timezone.now()) - datetime.timedelta(seconds=grace_seconds)
    pending = list(
        TrackingEvent.objects.filter(applied=False, received_at__lt=before).values_list("pk", flat=True)[:RELAY_BATCH]
    )
    for event_pk in pending:
        tracking_event_apply(event_pk=event_pk)
    return len(pending)
