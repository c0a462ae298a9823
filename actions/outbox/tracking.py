"""Tracking: the provider's delivery events (delivered, bounced, complained, ...) for our messages.

anymail's webhook views normalise each provider's payload and send the ``tracking`` signal
(received in ``actions.webhooks``). The event is stored once, by its id, in the webhook request;
a worker then applies it. A message's status only ever moves up ``STATUS_RANK``, so events
replayed or arriving in any order end in the same state, and a bounce or complaint suppresses
the address for good.
"""

import datetime
import hashlib
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from integrations import events as webhook_events

from ..models import OutboundMessage, Suppression, TrackingEvent
from ..publish import publish_after_commit
from .deliver import RELAY_BATCH

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status

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
    publish_after_commit("tracking_event_apply", row.pk)
    return row


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
            address = (event.recipient or (event.message.recipient if event.message else "")).strip().lower()
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
    if best != message.status and message.kind == OutboundMessage.Kind.TO_TARGET:
        webhook_events.message_status_changed(message, best)  # in the same transaction


def tracking_events_relay(*, now=None, grace_seconds: float = 30) -> int:
    """Apply stored events that no worker applied in time (the broker was down when they came)."""
    before = (now or timezone.now()) - datetime.timedelta(seconds=grace_seconds)
    pending = list(
        TrackingEvent.objects.filter(applied=False, received_at__lt=before).values_list("pk", flat=True)[:RELAY_BATCH]
    )
    for event_pk in pending:
        tracking_event_apply(event_pk=event_pk)
    return len(pending)
