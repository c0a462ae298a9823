"""Webhook events: delivery rows commit with the event, follow the subscription's choices, and
lose the person when that person erases their data."""

import json

import pytest
from django.db import transaction

from actions import intake
from actions.models import ActionKind
from actions.privacy_services import supporter_anonymise
from integrations import deliver, events, services
from integrations.models import WebhookDelivery
from tests.factories import TargetFactory, campaign_page

pytestmark = pytest.mark.django_db
Status = WebhookDelivery.Status


@pytest.fixture(autouse=True)
def _settings(webhook_settings):
    return webhook_settings


def sign(campaign, email="sok.chea@example.org", **extra):
    return intake.signature_create(
        campaign_id=campaign.pk,
        first_name="Sok",
        last_name="Chea",
        email=email,
        city="San Jose",
        postal_code="95110",
        submission=intake.Submission(**extra),
    )


def subscribe(url="http://127.0.0.1:9/hooks", events=("action.created",), **fields):
    return services.subscription_create(url=url, events=list(events), **fields)


def test_the_delivery_row_rolls_back_with_the_action():
    campaign = campaign_page()
    subscribe()
    with pytest.raises(RuntimeError), transaction.atomic():
        sign(campaign)
        assert WebhookDelivery.objects.count() == 1
        raise RuntimeError("the request failed after the action")
    assert WebhookDelivery.objects.count() == 0
    sign(campaign)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.event, delivery.status, delivery.attempts) == ("action.created", Status.QUEUED, 0)


def test_a_repeat_signature_sends_nothing_new():
    campaign = campaign_page()
    subscribe()
    sign(campaign)
    sign(campaign, email="SOK.CHEA@example.org")
    assert WebhookDelivery.objects.count() == 1


def test_personal_data_only_for_subscriptions_allowed_it():
    campaign = campaign_page()
    plain, personal = subscribe(), subscribe(personal_data=True)
    sign(campaign)
    assert "email_addresses" not in json.dumps(WebhookDelivery.objects.get(subscription=plain).payload)
    person = WebhookDelivery.objects.get(subscription=personal).payload["person"]
    assert person["given_name"] == "Sok" and person["email_addresses"][0]["address"] == "sok.chea@example.org"
    assert person["postal_addresses"][0]["postal_code"] == "95110"


def test_campaign_and_event_filters_and_paused_subscriptions():
    campaign, other = campaign_page(), campaign_page(title="Other", slug="other")
    mine = subscribe(campaign_id=campaign.pk)
    subscribe(events=["message.bounced"])
    paused = subscribe()
    paused.active = False
    paused.save()
    events.subscriptions_forget()
    sign(other)
    sign(campaign, email="another@example.org")
    assert list(WebhookDelivery.objects.values_list("subscription_id", flat=True)) == [mine.pk]


def test_calls_and_shares_are_action_created_too():
    campaign = campaign_page()
    subscribe()
    supporter = sign(campaign).supporter
    target = TargetFactory()
    intake.call_outcome_log(
        campaign_id=campaign.pk,
        supporter=supporter,
        target_id=target.pk,
        outcome="talked",
        submission=intake.Submission(),
    )
    intake.share_log(campaign_id=campaign.pk, supporter=supporter, channel="facebook", submission=intake.Submission())
    kinds = [d.payload["action"]["kind"] for d in WebhookDelivery.objects.order_by("pk")]
    assert kinds == [ActionKind.SIGN, ActionKind.CALL, ActionKind.SHARE]


def test_a_flagged_signature_says_so():
    campaign = campaign_page()
    subscribe()
    sign(campaign, honeypot="http://spam.example")
    assert WebhookDelivery.objects.get().payload["action"]["flagged"] is True


def test_erasure_scrubs_undelivered_payloads_and_tells_subscribers():
    campaign = campaign_page()
    personal = subscribe(personal_data=True, events=["action.created", "supporter.erased"])
    supporter = sign(campaign).supporter
    kept = sign(campaign, email="someone.else@example.org").supporter
    delivered = WebhookDelivery.objects.get(supporter_id=supporter.pk)
    sign(campaign_page(title="Second", slug="second"), email="sok.chea@example.org")
    WebhookDelivery.objects.filter(pk=delivered.pk).update(status=Status.DELIVERED)
    assert supporter_anonymise(supporter_id=supporter.pk)
    undelivered = WebhookDelivery.objects.filter(event="action.created", status=Status.QUEUED)
    scrubbed = [d for d in undelivered if d.payload["person"] == {"identifiers": [f"advocacy:{supporter.uuid}"]}]
    assert len(scrubbed) == 1 and "Sok" not in json.dumps(scrubbed[0].payload)
    assert undelivered.get(supporter_id=kept.pk).payload["person"]["given_name"] == "Sok"
    erased = WebhookDelivery.objects.get(event="supporter.erased", subscription=personal)
    assert erased.payload["person"]["identifiers"] == [f"advocacy:{supporter.uuid}"]
    assert erased.payload["person"]["email_addresses"][0]["address"] == "sok.chea@example.org"
    assert not supporter_anonymise(supporter_id=supporter.pk)  # repeated: nothing more
    assert WebhookDelivery.objects.filter(event="supporter.erased").count() == 1


def test_the_erasure_event_forgets_the_email_once_delivered(receiver):
    campaign = campaign_page()
    subscription = subscribe(url=receiver.url, personal_data=True, events=["supporter.erased"])
    supporter = sign(campaign).supporter
    supporter_anonymise(supporter_id=supporter.pk)
    deliver.deliveries_send(subscription_id=subscription.pk)
    assert b"sok.chea@example.org" in receiver.accepted()[0]["body"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.DELIVERED and "sok.chea" not in json.dumps(delivery.payload)


def test_backoff_grows_with_jitter_and_stops_at_the_cap(settings):
    settings.WEBHOOK_BACKOFF_BASE_SECONDS = 10
    settings.WEBHOOK_BACKOFF_MAX_SECONDS = 100
    assert all(5 <= deliver.backoff_seconds(1) <= 10 for _ in range(50))
    assert all(20 <= deliver.backoff_seconds(3) <= 40 for _ in range(50))
    assert all(50 <= deliver.backoff_seconds(30) <= 100 for _ in range(50))
    assert len({deliver.backoff_seconds(2) for _ in range(20)}) > 1
