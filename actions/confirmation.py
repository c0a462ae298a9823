"""Confirming a signature by email, on campaigns that ask for it.

The signature is stored and counted at once, like any other; the confirmation is a second fact
beside it (``SignatureConfirmation``), so the counter shows everyone and reports and the
delivery package can say how many of them proved they own their address.

- **Request.** Right after a new signature the step calls ``confirmation_request``: one row and
  one outbox email (``OutboundMessage.Kind.CONFIRM``) in one transaction, sent by the outbox
  workers like a thank-you, with the same ``List-Unsubscribe`` headers and footer links.
- **The link** (``/confirm/<token>/``) is ``TimestampSigner`` output over the action's id with a
  salt used for nothing else, valid for ``CONFIRM_LINK_MAX_AGE``. GET only shows a button (mail
  scanners open links); the POST confirms with one conditional UPDATE, so repeating it changes
  nothing. An expired link still proves which signature it was for (the signature is checked,
  only its age is not), so the page offers a fresh link (``confirmation_resend``, spaced by
  ``CONFIRM_RESEND_SECONDS``).
- **Reminder.** ``confirmation_reminders_send`` (beat) emails each signer still unconfirmed
  ``CONFIRM_REMINDER_HOURS`` after signing, once: the row's ``reminded_at`` is claimed by a
  conditional UPDATE before the email is written, in the same transaction.

Layer: beside ``outbox`` (uses its models and headers); nothing below imports it.
"""

import datetime
import logging
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Action, OutboundMessage, SignatureConfirmation
from .outbox.compose import SUBJECT_MAX_LENGTH, campaign_address
from .privacy import supporter_data_path
from .publish import publish_after_commit
from .selectors import is_suppressed
from .text import clean_line
from .unsubscribe import unsubscribe_headers, unsubscribe_url

logger = logging.getLogger(__name__)

_SALT = "actions.confirmation"
REMINDER_BATCH = 500


class ConfirmLinkError(Exception):
    """The link was altered or names no signature waiting for confirmation."""


@dataclass(frozen=True)
class ConfirmLink:
    confirmation: SignatureConfirmation
    expired: bool


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT, algorithm="sha256")


def confirmation_token(confirmation: SignatureConfirmation) -> str:
    return _signer().sign_object({"a": confirmation.action_id})


def confirmation_url(confirmation: SignatureConfirmation) -> str:
    return urljoin(confirmation.page_url, reverse("signature_confirm", args=[confirmation_token(confirmation)]))


def confirmation_read(token: str) -> ConfirmLink:
    """The confirmation a token names, and whether the link is past its age; raises
    ``ConfirmLinkError`` for anything forged, altered or no longer there."""
    expired = False
    try:
        payload = _signer().unsign_object(token, max_age=settings.CONFIRM_LINK_MAX_AGE)
    except signing.SignatureExpired:
        expired = True
        payload = _signer().unsign_object(token)  # the signature is good: only the age failed
    except (signing.BadSignature, ValueError):
        raise ConfirmLinkError from None
    action_id = payload.get("a") if isinstance(payload, dict) else None
    if not isinstance(action_id, int):
        raise ConfirmLinkError
    row = SignatureConfirmation.objects.filter(action_id=action_id).select_related("action__supporter").first()
    if row is None or row.action.supporter.anonymised_at is not None:
        raise ConfirmLinkError
    return ConfirmLink(confirmation=row, expired=expired)


def _message_for(confirmation: SignatureConfirmation, *, reminder: bool) -> OutboundMessage:
    """The email asking the signer to confirm (first request, resend or reminder)."""
    action = confirmation.action
    supporter = action.supporter
    unsubscribe = unsubscribe_url(base_url=confirmation.page_url, supporter=supporter, campaign_id=action.campaign_id)
    context = {
        "first_name": supporter.first_name,
        "title": confirmation.title,
        "sender_name": confirmation.sender_name,
        "confirm_url": confirmation_url(confirmation),
        "reminder": reminder,
        "page_url": confirmation.page_url,
        "unsubscribe_url": unsubscribe,
        "data_page_url": urljoin(confirmation.page_url, supporter_data_path(supporter)),
    }
    body = render_to_string("actions/email/confirm.txt", context).strip()
    if reminder:
        subject = _("Reminder: please confirm your signature for %(title)s") % {"title": confirmation.title}
    else:
        subject = _("Please confirm your signature for %(title)s") % {"title": confirmation.title}
    suppressed = is_suppressed(supporter.email)
    return OutboundMessage(
        action=action,
        campaign_id=action.campaign_id,
        kind=OutboundMessage.Kind.CONFIRM,
        to_email="",  # the supporter's address stays encrypted on their row (see .recipient)
        from_name=clean_line(confirmation.sender_name)[:250],
        sender_name=clean_line(confirmation.sender_name)[:100],
        subject=clean_line(subject)[:SUBJECT_MAX_LENGTH],
        body=body,
        next_attempt_at=None if suppressed else timezone.now(),
        status=OutboundMessage.Status.SUPPRESSED if suppressed else OutboundMessage.Status.QUEUED,
        last_error="Address is suppressed." if suppressed else "",
        headers=unsubscribe_headers(url=unsubscribe, mailbox=campaign_address()),
    )


def _queue(message: OutboundMessage) -> None:
    message.save()
    if message.status == OutboundMessage.Status.QUEUED:
        publish_after_commit("messages_send")


def confirmation_request(
    *, action: Action, title: str, sender_name: str, page_url: str, proven: bool = False
) -> SignatureConfirmation | None:
    """Ask the signer of a new signature to confirm it: one row and one email. Safe to repeat
    (a second call finds the row and sends nothing). A honeypot hit gets no email: a bot must not
    be able to make us write to a stranger's address. ``proven``: the signature came through a
    signed link from our own email, so the address is already proven: confirmed, no email."""
    if action.flag_reason == "honeypot" or not page_url:
        return None
    now = timezone.now()
    with transaction.atomic():
        row, created = SignatureConfirmation.objects.get_or_create(
            action=action,
            defaults={
                "campaign_id": action.campaign_id,
                "title": clean_line(title)[:255],
                "sender_name": clean_line(sender_name)[:100],
                "page_url": page_url[:500],
                "sent_at": None if proven else now,
                "confirmed_at": now if proven else None,
            },
        )
        if created and not proven:
            _queue(_message_for(row, reminder=False))
    return row


def signature_confirm(*, confirmation_id: int) -> bool:
    """Confirm once: True when this call confirmed it, False when it already was."""
    confirmed = SignatureConfirmation.objects.filter(pk=confirmation_id, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    if confirmed:
        logger.info("signature confirmed: confirmation=%s", confirmation_id)
    return bool(confirmed)


def confirmation_resend(*, confirmation_id: int) -> bool:
    """A fresh link for an unconfirmed signature, at most once per ``CONFIRM_RESEND_SECONDS``.
    True when an email was queued."""
    now = timezone.now()
    spaced = now - datetime.timedelta(seconds=settings.CONFIRM_RESEND_SECONDS)
    with transaction.atomic():
        claimed = (
            SignatureConfirmation.objects.filter(pk=confirmation_id, confirmed_at__isnull=True)
            .filter(Q(sent_at__isnull=True) | Q(sent_at__lte=spaced))
            .update(sent_at=now)
        )
        if claimed:
            row = SignatureConfirmation.objects.select_related("action__supporter").get(pk=confirmation_id)
            _queue(_message_for(row, reminder=False))
    return bool(claimed)


def confirmation_reminders_send(*, now=None) -> int:
    """One reminder to each signer still unconfirmed ``CONFIRM_REMINDER_HOURS`` after signing.
    Each row is claimed by a conditional UPDATE in the transaction that writes its email, so two
    runs at once, or a run repeated, never send a second reminder. Returns how many were queued."""
    now = now or timezone.now()
    due_before = now - datetime.timedelta(hours=settings.CONFIRM_REMINDER_HOURS)
    due = SignatureConfirmation.objects.filter(
        confirmed_at__isnull=True, reminded_at__isnull=True, requested_at__lte=due_before
    )
    sent = 0
    for pk in list(due.order_by("requested_at").values_list("pk", flat=True)[:REMINDER_BATCH]):
        with transaction.atomic():
            if not due.filter(pk=pk).update(reminded_at=now, sent_at=now):
                continue  # another run took it, or it was confirmed a moment ago
            row = SignatureConfirmation.objects.select_related("action__supporter").get(pk=pk)
            if row.action.supporter.anonymised_at is None:
                _queue(_message_for(row, reminder=True))
                sent += 1
    if sent:
        logger.info("confirmation reminders queued: %d", sent)
    return sent


def confirmation_counts(*, campaign_id: int) -> dict[str, int]:
    """Signatures asked to confirm, and how many did (one query on the confirmations' own index,
    never the action log; a flagged signature that was asked counts here too)."""
    counts = SignatureConfirmation.objects.filter(campaign_id=campaign_id).aggregate(
        requested=Count("pk"), confirmed=Count("pk", filter=Q(confirmed_at__isnull=False))
    )
    requested, confirmed = counts["requested"], counts["confirmed"]
    return {"requested": requested, "confirmed": confirmed, "unconfirmed": requested - confirmed}


def unconfirmed_count(*, campaign_id: int) -> int:
    """Counted signatures still waiting for their signer's confirmation (a flagged one is not in
    the count to begin with): what a confirmed-only public counter leaves out."""
    return SignatureConfirmation.objects.filter(
        campaign_id=campaign_id, confirmed_at__isnull=True, action__flagged=False
    ).count()
