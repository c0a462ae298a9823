"""Faults around the email outbox: Redis flushed with sends queued, Redis down when a supporter
emails, and the provider's tracking webhook refusing anyone without the secret."""

from collections import Counter

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.test import override_settings

from actions.models import OutboundMessage
from actions.outbox import deliver, take
from advocacy.celery import app
from tests.conftest import _reset_connections
from tests.factories import SupporterFactory, campaign_page, email_action, email_form_texts, email_target
from tests.waiting import closed_port, tasks_run, wait_for

Status = OutboundMessage.Status


@pytest.fixture
def broker(celery_broker):
    return celery_broker


def page():
    return campaign_page(targets=[email_target(name="Jeff Rosen"), email_target(name="Gavin Newsom")])


def sends_waiting(client) -> int:
    """How many send wake-ups sit in the broker's email queue (other tasks, e.g. totals, wait in
    the default queue)."""
    import json

    waiting = [json.loads(raw)["headers"]["task"] for raw in client.lrange("email", 0, -1)]
    return sum(task.rsplit(".", 1)[-1] in ("messages_send", "message_send") for task in waiting)


def sent_counts():
    return Counter(address for email in mail.outbox for address in email.to)


def redeliveries_run(broker) -> int:
    """Once every row is sent: redeliver a send task for each row (as a broker does after a
    hiccup) and wait until the worker has run them all, then run the relay's next pass. None of
    it may send anything more; returns how many redeliveries ran."""
    from actions.tasks import message_send

    rows = list(OutboundMessage.objects.values_list("pk", flat=True))
    before = sent_counts()
    assert tasks_run(lambda: [message_send.delay(pk) for pk in rows]) == ["not-claimed"] * len(rows)
    assert deliver.outbox_relay() == {"requeued": 0, "due": 0, "woken": 0}
    assert sends_waiting(broker) == 0 and sent_counts() == before
    return len(rows)


def test_redis_flushed_with_sends_queued_relay_republishes_and_each_is_sent_once(broker):
    campaign = page()
    for n in range(5):
        email_action(campaign, supporter=SupporterFactory(email=f"s{n}@example.org"), live=True)
    expected = {m.recipient for m in OutboundMessage.objects.select_related("action__supporter")}
    assert OutboundMessage.objects.filter(status=Status.QUEUED).count() == 15
    assert sends_waiting(broker) == 5  # one wake-up per action is waiting in Redis
    broker.flushdb()
    assert broker.llen("email") == 0  # ...and now lost from Redis, though the rows remain
    result = deliver.outbox_relay()
    # One batch wake-up covers all 15 due rows (EMAIL_BATCH_SIZE is 50).
    assert (result["due"], result["woken"]) == (15, 1) and sends_waiting(broker) == 1
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert wait_for(lambda: not OutboundMessage.objects.exclude(status=Status.SENT).exists())
        assert redeliveries_run(broker) == 15
    counts = sent_counts()
    assert set(counts) == expected
    assert counts["office1@example.gov"] == 5 and all(counts[f"s{n}@example.org"] == 1 for n in range(5))
    assert sum(counts.values()) == 15


def test_redis_down_when_a_supporter_emails_then_back_each_sent_once(broker, client, redis_url):
    campaign = page()
    take.delivery_switch(campaign_id=campaign.pk, deliver_to_targets=True, user=None)
    data = email_form_texts(client, campaign)
    data.update(first_name="Jane", last_name="Doe", email="jane@example.org", postal_code="95110")
    dead = f"redis://127.0.0.1:{closed_port()}/0"
    dead_cache = {
        "default": {
            "BACKEND": "advocacy.cache.TolerantRedisCache",
            "LOCATION": dead,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    app.conf.update(broker_url=dead)
    _reset_connections(app)
    try:
        with override_settings(CACHES=dead_cache):
            response = client.post(campaign.url + "email/", data)
            assert response.status_code == 302 and response["Location"].endswith("/email/sent/")
            assert client.get(response["Location"]).status_code == 200
    finally:
        app.conf.update(broker_url=redis_url)
        _reset_connections(app)
    assert OutboundMessage.objects.filter(status=Status.QUEUED).count() == 3
    assert mail.outbox == [] and sends_waiting(broker) == 0
    # Redis is back: the periodic relay publishes, a worker sends.
    assert deliver.outbox_relay()["woken"] == 1
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert wait_for(lambda: not OutboundMessage.objects.exclude(status=Status.SENT).exists())
        assert redeliveries_run(broker) == 3
    assert sent_counts() == Counter({"office1@example.gov": 1, "office2@example.gov": 1, "jane@example.org": 1})


@pytest.mark.django_db
def test_tracking_webhook_refuses_unauthenticated_posts_and_accepts_the_secret(client, settings):
    import base64
    import json

    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": "hook:s3cret"}
    campaign = page()
    message = email_action(campaign, live=True).action.messages.filter(kind="target").first()
    payload = json.dumps(
        {
            "RecordType": "Delivery",
            "MessageID": "abc-123",
            "Recipient": message.to_email,
            "DeliveredAt": "2026-11-27T12:00:00Z",
            "Metadata": {"message_id": str(message.pk)},
        }
    )
    url = "/anymail/postmark/tracking/"

    def post(credentials=None):
        extra = {}
        if credentials:
            extra["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(credentials.encode()).decode()
        return client.post(url, payload, content_type="application/json", **extra)

    from actions.models import TrackingEvent

    for refused in [post(), post("hook:wrong"), post("other:s3cret")]:
        assert 400 <= refused.status_code < 500, refused.status_code
    assert not TrackingEvent.objects.exists()
    assert post("hook:s3cret").status_code == 200
    assert TrackingEvent.objects.count() == 1
