"""Channels: what happened to each message, in the words a supporter reads, and the supporter's
own report of a message they sent through an office's web contact form.

A message to a target goes one of five ways (``Target.channel``): we send it (directly or in the
daily digest), the supporter pastes it into the office's web form, their own mail client opens
it, or it joins the printed letters organisers deliver. Only the first is something we can see
happen; the wording below never claims more than we know.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ActionKind, OutboundMessage

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status
Delivery = OutboundMessage.Delivery

# How each message counts in the reports: seen by us, reported by the supporter, or neither.
VERIFIED = "verified"
SELF_REPORTED = "self_reported"
UNCONFIRMED = "unconfirmed"


def outcome_text(message: OutboundMessage) -> str:
    """What happened to one message, honestly, for the sent page and the thank-you email."""
    status = message.status
    if message.delivery == Delivery.FORM:
        if status == Status.SELF_SENT:
            return _("sent by you through the office's form")
        if status == Status.NOT_SENT:
            return _("not sent")
        return _("waiting for you to send it through the office's form")
    if message.delivery == Delivery.MAILTO:
        return _("opened in your email app (we can't see if you sent it)")
    if message.delivery == Delivery.LETTER:
        return _("added to the printed letters")
    if status in (Status.SUPPRESSED, Status.FAILED, Status.BOUNCED):
        return _("not sent")
    if message.review:
        return _("not sent yet: held for our organisers to check before anything reaches the office")
    if status in (Status.SENT, Status.DELIVERED):
        return _("sent by us")
    if message.delivery == Delivery.DIGEST:
        return _("sent by us in today's bundle of messages to the office")
    return _("being sent by us")


def evidence(*, delivery: str, status: str, review: bool = False) -> str:
    """Verified (our provider took it for the office), self-reported (the supporter said so), or
    unconfirmed. A message sent to the review address never reached the office."""
    if delivery in (Delivery.DIRECT, Delivery.DIGEST) and status in (Status.SENT, Status.DELIVERED) and not review:
        return VERIFIED
    if status == Status.SELF_SENT:
        return SELF_REPORTED
    return UNCONFIRMED


def form_message_report(*, message_id: int, campaign_id: int, supporter_id: int, sent: bool) -> bool:
    """Record the supporter's word that they sent (or couldn't send) one message through the
    office's web form. Only their own message on this campaign, only while it waits or to change
    their answer; True when the row matched. Safe to repeat."""
    now = timezone.now()
    with transaction.atomic():
        updated = OutboundMessage.objects.filter(
            pk=message_id,
            campaign_id=campaign_id,
            delivery=Delivery.FORM,
            action__supporter_id=supporter_id,
            action__kind=ActionKind.EMAIL,
            status__in=(Status.FORM, Status.SELF_SENT, Status.NOT_SENT),
        ).update(
            status=Status.SELF_SENT if sent else Status.NOT_SENT, status_changed_at=now, sent_at=now if sent else None
        )
    if updated:
        logger.info("form message self-reported: message=%s sent=%s", message_id, sent)
    return bool(updated)
