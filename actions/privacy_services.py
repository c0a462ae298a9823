"""Privacy writes: anonymising supporters, purging address hashes, retention after a campaign.

Anonymising keeps every action (so every total stays true) and wipes what identifies a person:
name, email, city, postal code, comments and address hashes. It is idempotent.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from integrations import events as webhook_events

from .models import Action, CallbackRequest, CallLeg, CallSession, OutboundMessage, Supporter
from .pii import email_index

logger = logging.getLogger(__name__)

ANONYMOUS_NAME = "Anonymised"
REMOVED_TEXT = "[removed at supporter's request]"


def supporter_anonymise(*, supporter_id: int) -> bool:
    """Wipe one supporter's personal data; True if anything was wiped (False if already done)."""
    with transaction.atomic():
        supporter = Supporter.objects.select_for_update().filter(pk=supporter_id).first()
        if supporter is None or supporter.anonymised_at is not None:
            return False
        # Undelivered webhook payloads lose the person; subscribers are told of the erasure.
        webhook_events.supporter_erased(supporter)
        placeholder = f"anonymised-{supporter.uuid.hex}"
        supporter.email = f"{placeholder}@invalid.example"
        # A fresh key: the same person may sign again later as a new supporter.
        supporter.email_index = email_index(placeholder)
        supporter.first_name = ANONYMOUS_NAME
        supporter.last_name = ""
        supporter.city = ""
        supporter.postal_code = ""
        supporter.anonymised_at = timezone.now()
        supporter.save()
        Action.objects.filter(supporter_id=supporter.pk).update(comment="", ip_hash="", referrer_code="")
        _outbox_wipe(OutboundMessage.objects.filter(action__supporter_id=supporter.pk))
        # Call-bridge sessions: the number (kept only while a call runs) and the scripts, which
        # carry the supporter's name and city.
        CallSession.objects.filter(supporter_id=supporter.pk).update(phone="", ip_hash="")
        CallLeg.objects.filter(session__supporter_id=supporter.pk).update(script=REMOVED_TEXT)
        CallbackRequest.objects.filter(supporter_id=supporter.pk).update(status="cancelled", phone="", legs=[])
        _partner_opt_ins_withdraw(supporter)
    logger.info("supporter anonymised: supporter=%s", supporter_id)
    return True


def supporter_consent_withdraw(*, supporter_id: int) -> bool:
    """The supporter wants no more updates: none of their actions counts as consent any more.

    The wording and time of what they agreed to stay on each action (the record of consent);
    the supporter row keeps when they withdrew it. True if anything changed; safe to repeat.
    """
    with transaction.atomic():
        withdrawn = Supporter.objects.filter(pk=supporter_id, consent_withdrawn_at__isnull=True).update(
            consent_withdrawn_at=timezone.now()
        )
        changed = Action.objects.filter(supporter_id=supporter_id, consent=True).update(consent=False)
        changed += _partner_opt_ins_withdraw(Supporter(pk=supporter_id))
    if withdrawn or changed:
        logger.info("consent withdrawn: supporter=%s actions=%d", supporter_id, changed)
    return bool(withdrawn or changed)


def _partner_opt_ins_withdraw(supporter: Supporter) -> int:
    """ "No more updates" and erasure reach the coalition partners too: their opt-ins are marked
    withdrawn (the record of what was agreed stays), so no partner list shows this person again.
    Read through the reverse relation the partners app adds, so ``actions`` imports nothing of it."""
    return supporter.partner_consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())


def campaign_consent_withdraw(*, supporter_id: int, campaign_id: int) -> bool:
    """The supporter wants no more updates about one campaign (its emails' one-click unsubscribe):
    none of their actions on it counts as consent any more. Receipts of what they did still go.
    True if anything changed; safe to repeat."""
    changed = Action.objects.filter(supporter_id=supporter_id, campaign_id=campaign_id, consent=True).update(
        consent=False
    )
    if changed:
        logger.info(
            "campaign consent withdrawn: supporter=%s campaign=%s actions=%d", supporter_id, campaign_id, changed
        )
    return bool(changed)


def _outbox_wipe(rows) -> None:
    """The outbox holds what the supporter wrote and their address; rows stay so totals hold."""
    # Anything not yet sent would now carry the placeholder text: never send it.
    rows.filter(status__in=[OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENDING]).update(
        status=OutboundMessage.Status.SUPPRESSED, last_error="Removed at the supporter's request.", claimed_at=None
    )
    rows.update(reply_to="", from_name=F("sender_name"), subject=REMOVED_TEXT, body=REMOVED_TEXT)
    # A thank-you or a confirmation request went to the supporter themselves; messages to targets
    # keep the office's address.
    rows.filter(kind__in=[OutboundMessage.Kind.THANK_YOU, OutboundMessage.Kind.CONFIRM]).update(to_email="")


def client_addresses_purge(*, older_than_days: int | None = None) -> int:
    """Blank address hashes on actions older than the retention period; returns how many."""
    days = settings.CLIENT_ADDRESS_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    purged = Action.objects.filter(created_at__lt=cutoff).exclude(ip_hash="").update(ip_hash="")
    # The call bridge's keyed hashes (address, and the number rung: the daily limit needs a day).
    CallSession.objects.filter(created_at__lt=cutoff).exclude(ip_hash="", phone_hash="").update(
        ip_hash="", phone_hash=""
    )
    if purged:
        logger.info("client address hashes purged: %d", purged)
    return purged


def personal_data_retire(*, expired_campaign_ids) -> int:
    """Anonymise personal data tied to campaigns whose retention period has passed.

    Comments and address hashes on those campaigns' actions are wiped; a supporter is anonymised
    once every campaign they acted on has expired (someone still active on a live campaign keeps
    their details). Returns how many supporters were anonymised. The caller decides which
    campaigns have expired, because this app does not know about pages.
    """
    expired = list(expired_campaign_ids)
    if not expired:
        return 0
    Action.objects.filter(campaign_id__in=expired).exclude(comment="", ip_hash="").update(comment="", ip_hash="")
    _outbox_wipe(OutboundMessage.objects.filter(campaign_id__in=expired).exclude(subject=REMOVED_TEXT))
    still_active = Action.objects.filter(supporter_id=OuterRef("pk")).exclude(campaign_id__in=expired)
    candidates = (
        Supporter.objects.filter(anonymised_at__isnull=True, actions__campaign_id__in=expired)
        .exclude(Exists(still_active))
        .values_list("pk", flat=True)
        .distinct()
    )
    return sum(supporter_anonymise(supporter_id=pk) for pk in list(candidates))
