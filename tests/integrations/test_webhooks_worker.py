"""Integration: a real Celery worker on real Redis posts signed webhooks to a local receiver."""

import json
import time

import pytest

from actions import intake
from integrations import services
from integrations.models import WebhookDelivery
from integrations.signing import signature_valid
from tests.factories import campaign_page
from tests.waiting import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
Status = WebhookDelivery.Status


def sign(campaign, email="sok.chea@example.org"):
    return intake.signature_create(
        campaign_id=campaign.pk,
        first_name="Sok",
        last_name="Chea",
        email=email,
        postal_code="95110",
        submission=intake.Submission(),
    )


def test_receiver_gets_a_signed_action_created_within_seconds(celery_worker_on_redis, receiver, webhook_settings):
    campaign = campaign_page()
    subscription = services.subscription_create(url=receiver.url, events=["action.created"], personal_data=True)
    started = time.monotonic()
    result = sign(campaign)
    assert wait_for(lambda: len(receiver.accepted()) == 1, timeout=10)
    assert time.monotonic() - started < 5
    request = receiver.accepted()[0]
    headers = request["headers"]
    assert signature_valid(
        secret=subscription.secret,
        timestamp=headers["X-Advocacy-Timestamp"],
        body=request["body"],
        header=headers["X-Advocacy-Signature"],
        now=time.time(),
    )
    assert not signature_valid(
        secret=subscription.secret,
        timestamp=headers["X-Advocacy-Timestamp"],
        body=request["body"] + b" ",
        header=headers["X-Advocacy-Signature"],
        now=time.time(),
    )
    event = json.loads(request["body"])
    delivery = WebhookDelivery.objects.get()
    assert event["id"] == headers["Webhook-Id"] == str(delivery.uuid)
    assert event["type"] == "action.created" and headers["X-Advocacy-Event"] == "action.created"
    assert event["data"]["action"]["kind"] == "sign"
    assert event["data"]["action"]["campaign_id"] == campaign.pk
    assert event["data"]["person"]["email_addresses"] == [{"address": "sok.chea@example.org", "primary": True}]
    assert event["data"]["person"]["identifiers"] == [f"advocacy:{result.supporter.uuid}"]
    assert wait_for(lambda: WebhookDelivery.objects.filter(status=Status.DELIVERED).exists())


def test_fails_twice_then_succeeds_delivers_exactly_once_with_the_same_id(
    celery_worker_on_redis, receiver, webhook_settings
):
    campaign = campaign_page()
    services.subscription_create(url=receiver.url, events=["action.created"])
    receiver.script = [500, 503]
    sign(campaign)
    assert wait_for(lambda: WebhookDelivery.objects.filter(status=Status.DELIVERED).exists(), timeout=15)
    time.sleep(0.5)  # nothing more may arrive
    assert [r["status"] for r in receiver.requests] == [500, 503, 200]
    assert len({r["headers"]["Webhook-Id"] for r in receiver.requests}) == 1
    assert len({r["body"] for r in receiver.requests}) == 1  # the same bytes each time
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.last_status_code) == (3, 200)
    assert "advocacy:" in receiver.accepted()[0]["body"].decode()
    assert "email_addresses" not in receiver.accepted()[0]["body"].decode()  # no personal data asked for


def test_receiver_down_past_the_retry_budget_ends_failed(celery_worker_on_redis, receiver, webhook_settings):
    webhook_settings.WEBHOOK_MAX_ATTEMPTS = 3
    campaign = campaign_page()
    subscription = services.subscription_create(url=receiver.url, events=["action.created"])
    receiver.script = [503] * 10
    sign(campaign)
    assert wait_for(lambda: WebhookDelivery.objects.filter(status=Status.FAILED).exists(), timeout=15)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.last_status_code, delivery.last_error) == (3, 503, "HTTP 503")
    assert delivery.last_response == "receiver says no"
    assert len(receiver.requests) == 3
    subscription.refresh_from_db()
    assert subscription.failing_since is not None and subscription.active


def test_a_slow_receiver_does_not_hold_up_another_subscription(celery_worker_on_redis, receiver, webhook_settings):
    from tests.integrations.conftest import WebhookReceiver

    webhook_settings.WEBHOOK_READ_TIMEOUT = 0.5
    slow = WebhookReceiver()
    slow.delay = 3
    try:
        campaign = campaign_page()
        services.subscription_create(url=slow.url, events=["action.created"])
        services.subscription_create(url=receiver.url, events=["action.created"])
        started = time.monotonic()
        for n in range(3):
            sign(campaign, email=f"person{n}@example.org")
        assert wait_for(lambda: len(receiver.accepted()) == 3, timeout=10)
        # Three posts waiting on the slow receiver would take 9 s; its timeout cuts each short.
        assert time.monotonic() - started < 5
        assert not WebhookDelivery.objects.filter(subscription__url=slow.url, status=Status.DELIVERED).exists()
    finally:
        slow.close()
