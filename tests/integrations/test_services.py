"""Subscriptions and deliveries: https, Redis down, pausing after a day, redelivery, commands."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from actions import intake
from integrations import deliver, services
from integrations.models import WebhookDelivery, WebhookSubscription
from tests.factories import campaign_page
from tests.waiting import closed_port

pytestmark = pytest.mark.django_db
Status = WebhookDelivery.Status


@pytest.fixture(autouse=True)
def _settings(webhook_settings):
    return webhook_settings


def sign(campaign, email="sok.chea@example.org"):
    return intake.signature_create(
        campaign_id=campaign.pk, first_name="Sok", last_name="Chea", email=email, submission=intake.Submission()
    )


def test_https_is_required_outside_debug(settings):
    settings.WEBHOOK_REQUIRE_HTTPS = True
    with pytest.raises(ValidationError, match="https"):
        services.subscription_create(url="http://crm.example.org/hook", events=["action.created"])
    with pytest.raises(ValidationError, match="events"):
        services.subscription_create(url="https://crm.example.org/hook", events=["action.deleted"])
    with pytest.raises(ValidationError):
        services.subscription_create(url="ftp://crm.example.org/hook", events=["action.created"])
    assert services.subscription_create(url="https://crm.example.org/hook", events=["action.created"]).secret


def test_redis_down_at_the_action_loses_nothing(receiver, django_capture_on_commit_callbacks):
    from advocacy.celery import app
    from tests.conftest import _reset_connections

    campaign = campaign_page()
    subscription = services.subscription_create(url=receiver.url, events=["action.created"])
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=f"redis://127.0.0.1:{closed_port()}/0", task_always_eager=False)
    _reset_connections(app)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert sign(campaign).created
        assert services.webhooks_relay()["woken"] == 0  # the broker is still down
    finally:
        app.conf.update(**saved)
        _reset_connections(app)
    assert WebhookDelivery.objects.get().status == Status.QUEUED
    assert receiver.requests == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.webhooks_relay()["woken"] == 1  # eager in tests: the relay's wake-up posts it
    assert len(receiver.accepted()) == 1
    assert WebhookDelivery.objects.get(subscription=subscription).status == Status.DELIVERED


def test_a_day_of_failures_pauses_the_subscription_and_tells_the_organiser(django_user_model):
    organiser = django_user_model.objects.create_user("organiser", email="organiser@example.org")
    subscription = services.subscription_create(
        url=f"http://127.0.0.1:{closed_port()}/", events=["action.created"], organiser=organiser
    )
    campaign = campaign_page()
    sign(campaign)
    outcome = deliver.deliveries_send(subscription_id=subscription.pk)
    assert [o.status for o in outcome.values()] == ["retry"]
    subscription.refresh_from_db()
    assert subscription.failing_since is not None
    assert services.subscriptions_pause_failing() == []  # not a day yet
    a_day_later = subscription.failing_since + datetime.timedelta(hours=24, minutes=1)
    assert services.subscriptions_pause_failing(now=a_day_later) == [subscription.pk]
    subscription.refresh_from_db()
    assert not subscription.active and "Failing since" in subscription.paused_reason
    assert [m.to for m in mail.outbox] == [["organiser@example.org"]]
    assert subscription.url in mail.outbox[0].body
    sign(campaign, email="while.paused@example.org")
    assert WebhookDelivery.objects.count() == 1  # paused: nothing new queued
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert deliver.deliveries_send(subscription_id=subscription.pk) == {}  # and nothing posted
    assert services.subscription_resume(subscription_id=subscription.pk)
    assert WebhookSubscription.objects.get().active


def test_redeliver_puts_a_failed_delivery_back_with_the_same_id(receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    subscription = services.subscription_create(url=receiver.url, events=["action.created"])
    sign(campaign_page())
    receiver.script = [500]
    deliver.deliveries_send(subscription_id=subscription.pk)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 1)
    assert services.deliveries_redeliver(delivery_ids=[delivery.pk]) == 1
    deliver.deliveries_send(subscription_id=subscription.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.DELIVERED, 1)
    assert {r["headers"]["Webhook-Id"] for r in receiver.requests} == {str(delivery.uuid)}


def test_a_worker_that_died_mid_send_is_requeued_by_the_relay():
    subscription = services.subscription_create(url="http://127.0.0.1:9/", events=["action.created"])
    sign(campaign_page())
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    assert deliver.deliveries_claim(subscription_id=subscription.pk, now=long_ago, limit=10) == []
    now = timezone.now()
    assert len(deliver.deliveries_claim(subscription_id=subscription.pk, now=now, limit=10)) == 1
    assert deliver.deliveries_claim(subscription_id=subscription.pk, now=now, limit=10) == []  # claimed once
    WebhookDelivery.objects.update(claimed_at=long_ago)
    assert services.webhooks_relay(now=timezone.now())["requeued"] == 1
    assert WebhookDelivery.objects.get().status == Status.QUEUED


def test_commands_add_list_remove(capsys):
    call_command("webhook_add", "http://127.0.0.1:9/hook", "--events", "action.created", "supporter.erased")
    out = capsys.readouterr().out
    subscription = WebhookSubscription.objects.get()
    assert subscription.secret in out and "shown once" in out
    call_command("webhook_list")
    out = capsys.readouterr().out
    assert f"#{subscription.pk} active http://127.0.0.1:9/hook" in out and subscription.secret not in out
    call_command("webhook_remove", str(subscription.pk))
    assert not WebhookSubscription.objects.exists()
    with pytest.raises(CommandError):
        call_command("webhook_remove", str(subscription.pk))
    with pytest.raises(CommandError):
        call_command("webhook_add", "not a url", "--events", "action.created")


def test_admin_adds_shows_the_secret_once_lists_deliveries_and_redelivers(admin_client, receiver):
    response = admin_client.post(
        "/admin/integrations/webhooks/", {"do": "add", "url": receiver.url, "events": ["action.created"]}
    )
    subscription = WebhookSubscription.objects.get()
    assert response.status_code == 200 and subscription.secret in response.content.decode()
    assert subscription.secret not in admin_client.get("/admin/integrations/webhooks/").content.decode()
    bad = admin_client.post("/admin/integrations/webhooks/", {"do": "add", "url": "nope", "events": []})
    assert bad.status_code == 400 and "url-error" in bad.content.decode()
    sign(campaign_page())
    delivery = WebhookDelivery.objects.get()
    page = admin_client.get(f"/admin/integrations/webhooks/{subscription.pk}/").content.decode()
    assert str(delivery.uuid) in page and "Queued" in page
    WebhookDelivery.objects.update(status=Status.FAILED, attempts=5)
    admin_client.post(f"/admin/integrations/webhooks/{subscription.pk}/", {"delivery": [str(delivery.pk)]})
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.QUEUED, 0)


@pytest.mark.django_db(transaction=True)
def test_one_wake_up_per_transaction_on_the_webhooks_queue(celery_broker):
    services.subscription_create(url="http://127.0.0.1:9/", events=["action.created"])
    campaign = campaign_page()
    with transaction.atomic():
        for n in range(20):
            sign(campaign, email=f"paper{n}@example.org")
    assert celery_broker.llen("webhooks") == 1
    sign(campaign, email="alone@example.org")
    assert celery_broker.llen("webhooks") == 2
    assert WebhookDelivery.objects.count() == 21


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost:8443/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data/",  # a cloud host's metadata service
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://0.0.0.0/hook",
    ],
)
def test_a_receiver_on_a_private_or_local_address_is_refused(settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(ValidationError, match="public internet"):
        services.subscription_create(url=url, events=["action.created"])
    assert not WebhookSubscription.objects.exists()


def test_a_public_address_is_accepted_and_an_unknown_host_is_named(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    assert services.subscription_create(url="https://93.184.215.14/hook", events=["action.created"]).pk
    with pytest.raises(ValidationError, match="could not find"):
        services.subscription_create(url="https://no-such-host.invalid/hook", events=["action.created"])


def test_a_receiver_that_now_resolves_to_a_private_address_is_not_posted_to(receiver, settings):
    subscription = services.subscription_create(url=receiver.url, events=["action.created"])
    sign(campaign_page())
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False  # e.g. its name was pointed inwards later
    deliver.deliveries_send(subscription_id=subscription.pk)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status != Status.DELIVERED and "public internet" in delivery.last_error
    assert receiver.requests == []
