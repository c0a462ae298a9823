"""Taking the email action: the action and every outbox row it sends, in one transaction.

Also the live-delivery switch, since it decides where those rows go: until someone who may
publish the campaign switches it on, every message goes to the review address.
"""

import datetime
import logging
import zoneinfo
from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..intake import ActionResult, Submission, action_take, flag_reason_decide
from ..links import LINK_KINDS, action_link_url
from ..models import ActionKind, CampaignDelivery, DeliverySwitch, OutboundMessage, Supporter, Target
from ..privacy import supporter_data_path
from ..publish import publish_after_commit
from ..selectors import is_suppressed
from ..text import clean_line
from ..unsubscribe import unsubscribe_headers, unsubscribe_url
from .channels import outcome_text
from .compose import SUBJECT_MAX_LENGTH, Draft, EmailCampaign, campaign_address, from_name

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status


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


def next_digest_at(*, target: Target, now: datetime.datetime) -> datetime.datetime:
    """The next time the target's daily digest goes out: digest_hour in their own time zone."""
    zone = zoneinfo.ZoneInfo(target.time_zone or settings.TIME_ZONE)
    local = now.astimezone(zone)
    due = local.replace(hour=min(target.digest_hour, 23), minute=0, second=0, microsecond=0)
    if due <= local:
        due = (local + datetime.timedelta(days=1)).replace(hour=min(target.digest_hour, 23))
    return due.astimezone(datetime.UTC)


# What the supporter does themselves, whatever the delivery switch says: safe mode holds back only
# what we would send, never a supporter's own mail, form entry or letter.
SUPPORTER_CHANNELS = {
    Target.Delivery.FORM: (OutboundMessage.Delivery.FORM, Status.FORM),
    Target.Delivery.MAILTO: (OutboundMessage.Delivery.MAILTO, Status.MAILTO),
    Target.Delivery.LETTER: (OutboundMessage.Delivery.LETTER, Status.LETTER),
}


def _message_for(*, action, campaign: EmailCampaign, draft: Draft, supporter, live: bool, review_to: str, now):
    target = draft.target
    channel = target.channel
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
    if channel in SUPPORTER_CHANNELS:
        # The office's real address (a mailto never goes to the review address) or none at all.
        row.delivery, row.status = SUPPORTER_CHANNELS[channel]
        row.to_email, row.review, row.next_attempt_at = target.email, False, None
    elif channel == Target.Delivery.DIGEST and live:
        row.delivery, row.next_attempt_at = OutboundMessage.Delivery.DIGEST, next_digest_at(target=target, now=now)
    if row.status == Status.QUEUED and is_suppressed(row.to_email):
        row.status, row.next_attempt_at, row.last_error = Status.SUPPRESSED, None, "Address is suppressed."
    return row


def _thank_you_for(*, action, campaign: EmailCampaign, supporter, messages, now) -> OutboundMessage:
    """The supporter's receipt: per target what really happened, their next step as a one-click
    link, and how to stop updates (a footer link and the ``List-Unsubscribe`` headers)."""
    unsubscribe = unsubscribe_url(base_url=campaign.page_url, supporter=supporter, campaign_id=campaign.campaign_id)
    next_url = campaign.next_step_url
    if campaign.next_step_kind in LINK_KINDS and campaign.page_url:
        next_url = action_link_url(
            campaign_url=campaign.page_url,
            kind=campaign.next_step_kind,
            campaign_id=campaign.campaign_id,
            supporter=supporter,
        )
    context = {
        "supporter": supporter,
        "campaign": campaign,
        "rows": [{"message": m, "outcome": outcome_text(m)} for m in messages],
        "next_url": next_url,
        "unsubscribe_url": unsubscribe,
        # The supporter's own signed data page, so one click lets them see or delete what we hold.
        "data_page_url": urljoin(campaign.page_url, supporter_data_path(supporter)),
    }
    body = render_to_string("actions/email/thank_you.txt", context).strip()
    names = ", ".join(m.target.name for m in messages)
    subject = _("Thank you: your messages to %(names)s") % {"names": names} if names else _("Thank you for taking part")
    status = Status.QUEUED
    if is_suppressed(supporter.email):
        status = Status.SUPPRESSED
    elif _emails_today(supporter, now) >= settings.SUPPORTER_EMAILS_PER_DAY:
        status = Status.SUPPRESSED  # over the daily cap for this address: recorded, not sent
    return OutboundMessage(
        action=action,
        campaign_id=campaign.campaign_id,
        kind=OutboundMessage.Kind.THANK_YOU,
        # No copy of the supporter's address: it is read (decrypted) from the supporter when sent.
        to_email="",
        from_name=clean_line(campaign.sender_name)[:250],
        sender_name=clean_line(campaign.sender_name)[:100],
        subject=clean_line(subject)[:SUBJECT_MAX_LENGTH],
        body=body,
        next_attempt_at=now,
        status=status,
        last_error="" if status == Status.QUEUED else "Not sent: suppressed or over the daily cap.",
        headers=unsubscribe_headers(url=unsubscribe, mailbox=campaign_address()),
    )


def _emails_today(supporter: Supporter, now) -> int:
    # One row per normalised email, so the supporter is the address.
    since = now - datetime.timedelta(days=1)
    return OutboundMessage.objects.filter(
        kind=OutboundMessage.Kind.THANK_YOU, action__supporter=supporter, created_at__gte=since
    ).count()


def email_action_take(
    *, campaign: EmailCampaign, supporter: Supporter, drafts: list[Draft], submission: Submission
) -> ActionResult:
    """Record the supporter's email action and its outbox rows in one transaction.

    One ``Action(kind=email)`` per supporter per campaign; one ``OutboundMessage`` per target plus
    one thank-you. A repeat returns the existing action and writes nothing. A honeypot hit writes
    no messages; any other flag sends the messages to the review address instead of the targets.
    Workers are woken after commit; if the broker is down, the periodic relay sends the rows.
    """
    flag_reason = flag_reason_decide(
        kind=ActionKind.EMAIL, campaign_id=campaign.campaign_id, email=supporter.email, submission=submission
    )

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
            if d.target.channel != Target.Delivery.NONE
        ]
        # The thank-you in the language of the page the supporter used; the messages to the
        # targets were written from the text in each target's own language (TargetSpec).
        with translation.override(action.language or supporter.language or settings.LANGUAGE_CODE):
            rows.append(_thank_you_for(action=action, campaign=campaign, supporter=supporter, messages=rows, now=now))
        for row in rows:
            row.save()
        # One wake-up for the action's rows: the worker's batch claim takes them all at once.
        if any(r.status == Status.QUEUED and r.delivery == r.Delivery.DIRECT for r in rows):
            publish_after_commit("messages_send")

    return action_take(
        campaign_id=campaign.campaign_id,
        kind=ActionKind.EMAIL,
        supporter=supporter,
        submission=submission,
        flag_reason=flag_reason,
        on_created=create_messages,
    )
