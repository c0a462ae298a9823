"""Webhook events: one delivery row per matching subscription, written in the caller's transaction.

The one-way-in services call these (``actions.intake`` for a new action, ``actions.outbox.tracking``
for a delivered or bounced email, ``actions.privacy_services`` for an erasure); the rows commit
or roll back with the event, and workers are woken only after commit. Most sites have no
subscription at all, so each process keeps the list of active ones for a few seconds
(``WEBHOOK_SUBSCRIPTIONS_TTL``) and an action costs no query when nobody listens.

Layer: imports only this app's models; ``actions`` may import it.
"""

import math
import time

from django.conf import settings
from django.utils import timezone

from .models import WebhookDelivery, WebhookSubscription
from .publish import subscriptions_wake_after_commit

_memo = {"at": -math.inf, "rows": []}
UNDELIVERED = [WebhookDelivery.Status.QUEUED, WebhookDelivery.Status.SENDING, WebhookDelivery.Status.FAILED]


def subscriptions_forget() -> None:
    """Read the subscriptions again on next use (called after every change to them)."""
    _memo["at"] = -math.inf


def _active() -> list[dict]:
    now = time.monotonic()
    if now - _memo["at"] > settings.WEBHOOK_SUBSCRIPTIONS_TTL:
        _memo["rows"] = list(
            WebhookSubscription.objects.filter(active=True).values("pk", "events", "campaign_id", "personal_data")
        )
        _memo["at"] = now
    return _memo["rows"]


def listening(event: str, campaign_id: int | None) -> bool:
    """Whether any active subscription (as this process last read them) wants this event."""
    return any(event in row["events"] and _covers(row["campaign_id"], campaign_id) for row in _active())


def _covers(subscribed_campaign_id, campaign_id) -> bool:
    # An event of no one campaign (an erasure) goes to every subscription that wants it.
    return campaign_id is None or subscribed_campaign_id in (None, campaign_id)


def event_record(*, event: str, campaign_id: int | None, data_for, supporter_id: int | None = None) -> int:
    """Queue ``event`` for every active subscription that wants it; how many rows were written.

    ``data_for(personal_data: bool)`` builds the payload's data for a subscription that may, or
    may not, see personal data. Call inside the event's transaction.
    """
    if not listening(event, campaign_id):
        return 0
    # The memo only says someone may listen; the rows written point at subscriptions that exist now.
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(active=True).only("pk", "events", "campaign_id", "personal_data")
        if event in s.events and _covers(s.campaign_id, campaign_id)
    ]
    now = timezone.now()
    built = {}
    rows = []
    for subscription in subscriptions:
        personal = subscription.personal_data
        if personal not in built:
            built[personal] = data_for(personal)
        rows.append(
            WebhookDelivery(
                subscription=subscription,
                event=event,
                payload=built[personal],
                supporter_id=supporter_id if personal else None,
                next_attempt_at=now,
            )
        )
    WebhookDelivery.objects.bulk_create(rows)
    subscriptions_wake_after_commit(s.pk for s in subscriptions)
    return len(rows)


def person_data(supporter, *, personal: bool) -> dict:
    """A supporter as OSDI's person: an opaque identifier always, the rest only with ``personal``."""
    person = {"identifiers": [f"advocacy:{supporter.uuid}"]}
    if personal:
        person.update(
            given_name=supporter.first_name,
            family_name=supporter.last_name,
            email_addresses=[{"address": supporter.email, "primary": True}],
            postal_addresses=[
                {
                    "locality": supporter.city,
                    "postal_code": supporter.postal_code,
                    "country": supporter.country,
                    "primary": True,
                }
            ],
        )
    return person


def action_created(action) -> int:
    """``action.created`` for a new action (sign, email, call or share)."""
    supporter = action.supporter

    def data_for(personal: bool) -> dict:
        return {
            "action": {
                "identifiers": [f"advocacy:action:{action.pk}"],
                "kind": action.kind,
                "campaign_id": action.campaign_id,
                "target_id": action.target_id,
                "outcome": action.outcome,
                "source": action.source,
                "consent": action.consent,
                "flagged": action.flagged,
                "created_date": action.created_at.isoformat(),
            },
            "person": person_data(supporter, personal=personal),
        }

    return event_record(
        event="action.created", campaign_id=action.campaign_id, data_for=data_for, supporter_id=supporter.pk
    )


def message_status_changed(message, status: str) -> int:
    """``message.delivered`` or ``message.bounced`` for an email to a target (no personal data)."""
    event = {"delivered": "message.delivered", "bounced": "message.bounced"}.get(status)
    if event is None:
        return 0
    data = {
        "message": {
            "identifiers": [f"advocacy:message:{message.pk}"],
            "campaign_id": message.campaign_id,
            "target_id": message.target_id,
            "action_id": message.action_id,
            "status": status,
        }
    }
    return event_record(event=event, campaign_id=message.campaign_id, data_for=lambda personal: data)


def supporter_erased(supporter) -> int:
    """Scrub the supporter from every payload not yet delivered, then queue ``supporter.erased``.

    Call before their fields are wiped, in the same transaction. The erasure event carries the
    email only for subscriptions allowed personal data, so a CRM can find the person to delete.
    """
    scrubbed = {"identifiers": [f"advocacy:{supporter.uuid}"]}
    for delivery in WebhookDelivery.objects.select_for_update().filter(
        supporter_id=supporter.pk, status__in=UNDELIVERED
    ):
        payload = dict(delivery.payload)
        if "person" in payload:
            payload["person"] = scrubbed
        WebhookDelivery.objects.filter(pk=delivery.pk).update(payload=payload, supporter_id=None)
    emails = [{"address": supporter.email, "primary": True}]

    def data_for(personal: bool) -> dict:
        return {"person": {**scrubbed, **({"email_addresses": emails} if personal else {})}}

    return event_record(event="supporter.erased", campaign_id=None, data_for=data_for)


def goal_reached(*, campaign_id: int, title: str, goal: int, count: int) -> int:
    """``campaign.goal_reached``: the signature count passed one rung of the goal ladder."""
    data = {"campaign": {"identifiers": [f"advocacy:campaign:{campaign_id}"], "title": title}}
    data.update(goal=goal, count=count)
    return event_record(event="campaign.goal_reached", campaign_id=campaign_id, data_for=lambda personal: data)
