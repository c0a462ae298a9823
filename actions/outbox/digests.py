"""Daily digests: for offices that asked for one email a day, bundle the day's messages.

A digest target's rows wait in the outbox (``delivery=digest``) until ``next_attempt_at``, the
target's ``digest_hour`` in its own time zone. The periodic ``digests_send`` then claims each
target's due rows (skipping rows another worker holds) and sends them as one email, with the
same retry and backoff as single messages (``deliver.failure_record``).
"""

import logging

from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from ..models import OutboundMessage
from ..selectors import is_suppressed
from .deliver import SUPPRESSED, email_build, failure_record, provider_message_id

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status
DIGEST_MAX_MESSAGES = 1000


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


def _digest_claim(*, target_id: int, campaign_id: int, to_email: str, now) -> list[int]:
    rows = OutboundMessage.objects.filter(
        status=Status.QUEUED,
        delivery=OutboundMessage.Delivery.DIGEST,
        next_attempt_at__lte=now,
        target_id=target_id,
        campaign_id=campaign_id,
        to_email=to_email,
    )
    with transaction.atomic():
        ids = list(
            rows.select_for_update(skip_locked=True)
            .order_by("created_at")
            .values_list("pk", flat=True)[:DIGEST_MAX_MESSAGES]
        )
        OutboundMessage.objects.filter(pk__in=ids).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, status_changed_at=now
        )
    return ids


def _digest_send(*, target_id: int, campaign_id: int, to_email: str, now) -> bool:
    ids = _digest_claim(target_id=target_id, campaign_id=campaign_id, to_email=to_email, now=now)
    if not ids:
        return False
    messages = list(OutboundMessage.objects.filter(pk__in=ids).select_related("target").order_by("created_at"))
    first = messages[0]
    mine = OutboundMessage.objects.filter(pk__in=ids, status=Status.SENDING)
    if is_suppressed(to_email):
        mine.update(status=Status.SUPPRESSED, last_error=SUPPRESSED, status_changed_at=now)
        return False
    body = render_to_string("actions/email/digest.txt", {"messages": messages, "target": first.target}).strip()
    email = email_build(
        subject=f"{len(messages)} messages today from supporters of {first.sender_name}",
        body=body,
        sender_name=first.sender_name,
        to=to_email,
        metadata={"digest_of": str(len(ids)), "campaign": str(campaign_id), "target": str(target_id)},
        tags=[f"campaign-{campaign_id}", f"target-{target_id}"],
    )
    try:
        email.send()
    except Exception as exc:
        failure_record(mine, exc, attempts=first.attempts, now=now, what=f"digest for target {target_id}")
        return False
    mine.update(status=Status.SENT, sent_at=now, esp_message_id=provider_message_id(email), status_changed_at=now)
    logger.info("digest of %s message(s) sent to target %s", len(ids), target_id)
    return True
