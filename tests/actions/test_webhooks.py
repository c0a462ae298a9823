"""Tracking webhooks: authenticated, stored once, applied in the background, order-independent,
and a bounce or complaint suppresses the address."""

import base64
import datetime
import itertools
import json

import pytest
from anymail.signals import AnymailTrackingEvent
from django.core import mail
from django.urls import reverse

from actions.models import OutboundMessage, Suppression, TrackingEvent
from actions.outbox import deliver, tracking
from tests.factories import campaign_page, email_action, email_target

pytestmark = pytest.mark.django_db

Status = OutboundMessage.Status
WEBHOOK_URL = "/anymail/postmark/tracking/"
T0 = datetime.datetime(2026, 11, 27, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret"}


def auth(secret="hook:s3cret"):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


@pytest.fixture
def page():
    return campaign_page(targets=[email_target(name="Jeff Rosen", email="rosen@example.gov")])


def sent_message(page):
    """A message that went out to the target and has the provider's id on it."""
    message = email_action(page, live=True).action.messages.get(kind="target")
    deliver.message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Status.SENT
    OutboundMessage.objects.filter(pk=message.pk).update(esp_message_id=f"esp-{message.pk}")
    message.refresh_from_db()
    return message


def postmark_delivery(message, at=T0):
    return {
        "RecordType": "Delivery",
        "MessageID": message.esp_message_id,
        "Recipient": message.to_email,
        "DeliveredAt": at.isoformat().replace("+00:00", "Z"),
        "Details": "smtp;250 2.0.0 OK",
        "Tag": f"campaign-{message.campaign_id}",
        "Metadata": {"message_id": str(message.pk)},
    }


def postmark_bounce(message, at=T0):
    return {
        "RecordType": "Bounce",
        "ID": 4323372036854775807 - message.pk,
        "Type": "HardBounce",
        "TypeCode": 1,
        "MessageID": message.esp_message_id,
        "Email": message.to_email,
        "BouncedAt": at.isoformat().replace("+00:00", "Z"),
        "Description": "The server was unable to deliver your message.",
        "Metadata": {"message_id": str(message.pk)},
    }


def post(client, payload, **extra):
    return client.post(WEBHOOK_URL, data=json.dumps(payload), content_type="application/json", **extra)


def test_webhook_url_is_anymails(page):
    assert reverse("anymail:postmark_tracking_webhook") == WEBHOOK_URL


def test_webhook_refuses_requests_without_the_secret(client, page):
    message = sent_message(page)
    assert post(client, postmark_delivery(message)).status_code == 400
    assert post(client, postmark_delivery(message), **auth("hook:wrong")).status_code == 400
    assert not TrackingEvent.objects.exists()


def test_delivery_event_is_stored_and_applied(client, page, django_capture_on_commit_callbacks):
    message = sent_message(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, postmark_delivery(message), **auth())
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == Status.DELIVERED and message.delivered_at == T0
    assert TrackingEvent.objects.get().applied


def test_the_request_only_stores_the_event(client, page, django_capture_on_commit_callbacks):
    message = sent_message(page)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(client, postmark_delivery(message), **auth())
    message.refresh_from_db()
    assert message.status == Status.SENT  # not applied in the request
    assert len(callbacks) == 1  # a worker is woken after commit


def test_the_same_event_twice_is_stored_once(client, page, django_capture_on_commit_callbacks):
    message = sent_message(page)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, postmark_bounce(message), **auth()).status_code == 200
        assert post(client, postmark_bounce(message), **auth()).status_code == 200
        assert post(client, postmark_delivery(message), **auth()).status_code == 200
        assert post(client, postmark_delivery(message), **auth()).status_code == 200
    assert TrackingEvent.objects.count() == 2


def test_a_bounce_suppresses_the_address_and_later_messages_are_not_sent(
    client, page, django_capture_on_commit_callbacks
):
    message = sent_message(page)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, postmark_bounce(message), **auth())
    message.refresh_from_db()
    assert message.status == Status.BOUNCED
    assert Suppression.objects.get().address == "rosen@example.gov"
    mail.outbox.clear()
    later = email_action(page, live=True).action.messages.get(kind="target")
    assert later.status == Status.SUPPRESSED
    deliver.outbox_relay()
    assert "rosen@example.gov" not in [e.to[0] for e in mail.outbox]


def event(message, kind, minutes, event_id=None):
    return AnymailTrackingEvent(
        event_type=kind,
        timestamp=T0 + datetime.timedelta(minutes=minutes),
        event_id=event_id,
        message_id=message.esp_message_id,
        recipient=message.to_email,
        metadata={"message_id": str(message.pk)},
    )


def test_events_replayed_in_any_order_leave_the_same_state(page, django_capture_on_commit_callbacks):
    outcomes = set()
    kinds = [("sent", 0, "e1"), ("delivered", 1, None), ("opened", 5, None), ("bounced", 9, "e4")]
    for order in itertools.permutations(kinds):
        Suppression.objects.all().delete()
        message = sent_message(page)
        with django_capture_on_commit_callbacks(execute=True):
            for kind, minutes, event_id in order:
                tracking.tracking_event_record(
                    esp_name="Postmark",
                    event=event(message, kind, minutes, event_id and f"{event_id}-{message.pk}"),
                )
        message.refresh_from_db()
        outcomes.add(
            (message.status, message.delivered_at, Suppression.objects.filter(address=message.to_email).exists())
        )
    assert outcomes == {(Status.BOUNCED, T0 + datetime.timedelta(minutes=1), True)}


def test_delivered_never_downgrades_a_bounce_and_replays_change_nothing(page, django_capture_on_commit_callbacks):
    message = sent_message(page)
    with django_capture_on_commit_callbacks(execute=True):
        tracking.tracking_event_record(esp_name="Postmark", event=event(message, "bounced", 2, "b1"))
        tracking.tracking_event_record(esp_name="Postmark", event=event(message, "delivered", 1))
        tracking.tracking_event_record(esp_name="Postmark", event=event(message, "bounced", 2, "b1"))
    message.refresh_from_db()
    assert message.status == Status.BOUNCED
    assert TrackingEvent.objects.count() == 2


def test_a_complaint_suppresses_without_calling_it_a_bounce(page, django_capture_on_commit_callbacks):
    message = sent_message(page)
    with django_capture_on_commit_callbacks(execute=True):
        tracking.tracking_event_record(esp_name="Postmark", event=event(message, "complained", 3, "c1"))
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
    assert Suppression.objects.get(address=message.to_email).reason == "complained"


def test_events_the_broker_missed_are_applied_by_the_relay(page):
    message = sent_message(page)
    tracking.tracking_event_record(esp_name="Postmark", event=event(message, "delivered", 1))  # no commit hook runs
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert tracking.tracking_events_relay(now=T0.replace(year=2030)) == 1
    message.refresh_from_db()
    assert message.status == Status.DELIVERED


def test_an_event_for_an_unknown_message_is_stored_harmlessly(client, django_capture_on_commit_callbacks):
    payload = {
        "RecordType": "Delivery",
        "MessageID": "not-ours",
        "Recipient": "someone@example.com",
        "DeliveredAt": "2026-11-27T18:00:00Z",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, payload, **auth()).status_code == 200
    assert TrackingEvent.objects.get().message is None


def test_suppressions_are_listed_in_the_admin(admin_client):
    Suppression.objects.create(address="gone@example.gov", reason="bounced")
    response = admin_client.get(reverse("wagtailsnippets_actions_suppression:list"))
    assert response.status_code == 200
    assert "gone@example.gov" in response.content.decode()
