"""The outbox tasks: claiming, retrying, failing, the relay, and a broker that is down."""

import datetime
import logging

import pytest
from django.core import mail
from django.utils import timezone

from actions import tasks
from actions.models import OutboundMessage
from actions.outbox import deliver
from advocacy.celery import app
from tests.conftest import _reset_connections
from tests.factories import SupporterFactory, campaign_page, email_action, email_form_texts, email_target

pytestmark = pytest.mark.django_db

Status = OutboundMessage.Status


@pytest.fixture
def page():
    return campaign_page(targets=[email_target(name="Jeff Rosen"), email_target(name="Gavin Newsom")])


def first_message(result):
    return result.action.messages.filter(kind="target").order_by("pk").first()


def later(minutes=10):
    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_the_same_task_run_twice_sends_once(page):
    message = first_message(email_action(page, live=True))
    assert tasks.message_send(message.pk) == Status.SENT
    assert tasks.message_send(message.pk) == "not-claimed"
    assert [e.to for e in mail.outbox] == [[message.to_email]]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)


def test_a_row_another_worker_is_sending_is_not_claimed(page):
    message = first_message(email_action(page, live=True))
    assert deliver.message_claim(message_id=message.pk, now=timezone.now())
    assert deliver.message_send(message_id=message.pk).status == "not-claimed"
    assert mail.outbox == []


def test_broker_down_at_submit_supporter_still_succeeds_and_relay_sends_later(
    page, client, django_capture_on_commit_callbacks
):
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)  # nothing listens on port 1
    _reset_connections(app)
    data = email_form_texts(client, page)
    data.update(first_name="Jane", last_name="Doe", email="jane@example.org", postal_code="95110")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(page.url + "email/", data)
    finally:
        app.conf.update(**saved)
        _reset_connections(app)
    assert response.status_code == 302 and response["Location"].endswith("/email/sent/")
    queued = OutboundMessage.objects.filter(status=Status.QUEUED)
    assert queued.count() == 3  # two targets and the thank-you, none sent yet
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        result = deliver.outbox_relay(now=later(1))
    assert result["due"] == 3
    assert not OutboundMessage.objects.filter(status=Status.QUEUED).exists()
    assert len(mail.outbox) == 3


def test_transient_provider_error_then_success(page, provider_standin):
    message = first_message(email_action(page, live=True))
    provider_standin.script = [503]
    outcome = deliver.message_send(message_id=message.pk)
    assert outcome.status == "retry"
    message.refresh_from_db()
    assert message.status == Status.QUEUED and message.attempts == 1
    assert "503" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert deliver.message_send(message_id=message.pk).status == "not-claimed"  # not due yet
    assert deliver.message_send(message_id=message.pk, now=message.next_attempt_at).status == Status.SENT
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 2, "")
    assert message.esp_message_id
    assert len(provider_standin.requests) == 1


def test_permanent_provider_error_ends_failed_with_the_reason(page, provider_standin):
    message = first_message(email_action(page, live=True))
    provider_standin.script = [422]
    assert deliver.message_send(message_id=message.pk).status == Status.FAILED
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == 1
    assert "AnymailRecipientsRefused" in message.last_error


def test_after_the_last_attempt_the_row_is_failed(page, provider_standin, settings):
    settings.EMAIL_MAX_ATTEMPTS = 3
    message = first_message(email_action(page, live=True))
    provider_standin.script = [500, 502, 503]
    when = timezone.now()
    for _ in range(3):
        outcome = deliver.message_send(message_id=message.pk, now=when)
        when += datetime.timedelta(days=1)
    assert outcome.status == Status.FAILED
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 3)
    assert "503" in message.last_error
    assert provider_standin.requests == []


def test_backoff_grows_exponentially_with_jitter(settings):
    settings.EMAIL_BACKOFF_SECONDS = 10
    settings.EMAIL_BACKOFF_MAX_SECONDS = 100
    for attempt, full in [(1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (9, 100)]:
        delays = {deliver.backoff_seconds(attempt) for _ in range(20)}
        assert all(full / 2 <= d <= full for d in delays)
        assert len(delays) > 1  # jittered


def test_relay_requeues_an_expired_lease_and_logs_it(page, settings, caplog):
    settings.EMAIL_LEASE_SECONDS = 60
    message = first_message(email_action(page, live=True))
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_at=long_ago, attempts=1)
    fresh = OutboundMessage.objects.filter(kind="target").exclude(pk=message.pk).get()
    OutboundMessage.objects.filter(pk=fresh.pk).update(status=Status.SENDING, claimed_at=timezone.now(), attempts=1)
    with caplog.at_level(logging.WARNING, logger="actions.outbox"):
        result = deliver.outbox_relay()
    assert result["requeued"] == 1
    assert "requeued 1 message" in caplog.text
    message.refresh_from_db()
    fresh.refresh_from_db()
    assert message.status == Status.SENT  # woken (eagerly in tests) and sent
    assert fresh.status == Status.SENDING  # its worker may still be sending: left alone


def test_relay_wakes_only_rows_that_are_due(page):
    message = first_message(email_action(page, live=True))
    OutboundMessage.objects.update(next_attempt_at=later(30))
    assert deliver.outbox_relay()["due"] == 0
    OutboundMessage.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    assert deliver.outbox_relay()["due"] == 3
    message.refresh_from_db()
    assert message.status == Status.SENT


def test_email_action_take_enqueues_after_commit(page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email_action(page, supporter=SupporterFactory(), live=True)
    assert mail.outbox == []  # nothing is sent inside the transaction
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 3


def test_relay_and_digest_are_in_the_beat_schedule(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"actions.tasks.outbox_relay", "actions.tasks.digests_send"} <= tasks_scheduled
