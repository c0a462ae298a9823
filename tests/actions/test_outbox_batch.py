"""Sending the outbox in batches: one claim for many rows, one provider connection per batch,
disjoint batches for workers claiming at once, and the relay after a worker died mid-batch."""

import datetime
import logging
import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions import tasks
from actions.models import OutboundMessage, Suppression
from actions.outbox import deliver
from tests.factories import SupporterFactory, campaign_page, email_action, email_target

Status = OutboundMessage.Status


def outbox_of(actions: int) -> list[int]:
    """``actions`` supporters emailing two offices: three due rows each (two targets, a thank-you)."""
    page = campaign_page(targets=[email_target(name="Jeff Rosen"), email_target(name="Gavin Newsom")])
    for n in range(actions):
        email_action(page, supporter=SupporterFactory(email=f"s{n}@example.org"), live=True)
    # Where commits run their callbacks, the eager wake-up has sent the rows already: queue them
    # again, due, for the claim under test.
    OutboundMessage.objects.update(status=Status.QUEUED, attempts=0, sent_at=None, next_attempt_at=timezone.now())
    return sorted(OutboundMessage.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_one_statement_claims_the_due_direct_rows_up_to_the_limit():
    rows = outbox_of(3)
    later = timezone.now() + datetime.timedelta(minutes=5)
    OutboundMessage.objects.filter(pk=rows[0]).update(next_attempt_at=later)  # not due
    OutboundMessage.objects.filter(pk=rows[1]).update(delivery=OutboundMessage.Delivery.MAILTO)
    now = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        claimed = deliver.messages_claim(now=now, limit=5)
    assert len(queries) == 1 and "RETURNING" in queries[0]["sql"]
    assert claimed == rows[2:7]
    assert set(OutboundMessage.objects.filter(pk__in=claimed).values_list("status", "attempts")) == {
        (Status.SENDING, 1)
    }
    assert deliver.messages_claim(now=now, limit=50) == rows[7:]  # the rest, once
    assert deliver.messages_claim(now=now, limit=50) == []
    assert deliver.messages_claim(now=later, limit=50) == [rows[0]]  # due later


@pytest.mark.django_db
def test_a_batch_is_claimed_once_sent_in_order_and_each_row_recorded(provider_standin):
    rows = outbox_of(4)
    with CaptureQueriesContext(connection) as queries:
        outcomes = deliver.messages_send()
    assert sorted(outcomes) == rows and {o.status for o in outcomes.values()} == {Status.SENT}
    statements = [q["sql"] for q in queries]
    assert sum("RETURNING" in sql for sql in statements) == 1  # one claim for the batch
    assert sum(sql.startswith("UPDATE") for sql in statements) == len(rows)  # ...and a record per row
    sent_order = [int(r["json"]["Metadata"]["message_id"]) for r in provider_standin.requests]
    assert sent_order == rows
    # One provider connection for the batch: every request came over the same kept-alive socket.
    assert len({r["client_port"] for r in provider_standin.requests}) == 1
    assert set(OutboundMessage.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}
    assert deliver.messages_send() == {}


@pytest.mark.django_db
def test_a_full_batch_wakes_the_next_until_the_outbox_is_empty(settings):
    settings.EMAIL_BATCH_SIZE = 4
    rows = outbox_of(3)  # nine rows: batches of 4, 4 and 1 (eager tasks run in turn)
    assert tasks.messages_send() == {"sent": 4}
    assert set(OutboundMessage.objects.filter(pk__in=rows).values_list("status", flat=True)) == {Status.SENT}


@pytest.mark.django_db(transaction=True)
def test_workers_claiming_at_once_get_disjoint_batches_without_waiting():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; SKIP LOCKED is PostgreSQL's")
    rows = outbox_of(3)
    now = timezone.now()
    other: list[int] = []

    def second_worker():
        try:
            other.extend(deliver.messages_claim(now=now, limit=50))
        finally:
            connections.close_all()

    with transaction.atomic():
        first = deliver.messages_claim(now=now, limit=4)  # held, uncommitted, while the other claims
        thread = threading.Thread(target=second_worker)
        thread.start()
        thread.join(timeout=10)
        assert not thread.is_alive()  # skipped the locked rows instead of waiting for them
    assert first == rows[:4] and other == rows[4:]


@pytest.mark.django_db
def test_relay_after_a_worker_died_mid_batch_flags_only_the_row_in_flight(settings, caplog):
    settings.EMAIL_LEASE_SECONDS = 60
    rows = outbox_of(2)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    OutboundMessage.objects.update(next_attempt_at=long_ago)
    claimed = deliver.messages_claim(now=long_ago, limit=50)
    assert claimed == rows
    # The dead worker recorded its first row as sent, then died handing over the second.
    OutboundMessage.objects.filter(pk=rows[0]).update(status=Status.SENT)
    with caplog.at_level(logging.INFO, logger="actions.outbox"):
        result = deliver.outbox_relay()  # requeues, then wakes a worker (eagerly in tests)
    assert result["requeued"] == 5
    assert f"stopped mid-send: [{rows[1]}]" in caplog.text
    assert "requeued 4 message(s) claimed but never sent" in caplog.text
    in_flight = OutboundMessage.objects.get(pk=rows[1])
    assert (in_flight.status, in_flight.attempts) == (Status.SENT, 2)
    assert f"message {rows[1]} resent after its worker stopped mid-send: possible duplicate" in caplog.text
    assert caplog.text.count("possible duplicate") == 1
    # The rows never handed over were attempted once: the dead worker's claim does not count.
    unsent = OutboundMessage.objects.filter(pk__in=rows[2:])
    assert set(unsent.values_list("status", "attempts", "last_error")) == {(Status.SENT, 1, "")}


def test_wakeups_go_to_the_email_queue_one_per_batch(celery_broker, settings):
    settings.EMAIL_BATCH_SIZE = 50
    assert deliver.messages_wake(count=120) == 3
    assert celery_broker.llen("email") == 3 and celery_broker.llen("celery") == 0
    assert deliver.messages_wake(count=0) == 0


@pytest.mark.django_db
def test_a_batch_larger_than_a_targets_hourly_cap_sends_the_oldest_up_to_the_cap(settings):
    from django.core import mail

    from actions.models import Target

    rows = outbox_of(5)  # five messages to each office, claimed in one batch
    Target.objects.filter(name="Jeff Rosen").update(max_messages_per_hour=2)
    outcomes = deliver.messages_send()
    capped = list(OutboundMessage.objects.filter(target__name="Jeff Rosen").order_by("pk").values_list("pk", flat=True))
    # The rest of the batch, not yet sent, does not count against the cap: the oldest two go.
    assert [outcomes[pk].status for pk in capped] == [Status.SENT, Status.SENT] + ["deferred"] * 3
    assert len(outcomes) == len(rows) and len(mail.outbox) == len(rows) - 3


@pytest.mark.django_db
def test_recording_a_send_never_undoes_a_tracking_event_that_came_first():
    from types import SimpleNamespace

    first, second = outbox_of(1)[:2]
    now = timezone.now()
    assert deliver.messages_claim(now=now, limit=2) == [first, second]
    # The provider's "delivered" webhook for the first row arrived before the worker recorded it.
    OutboundMessage.objects.filter(pk=first).update(status=Status.DELIVERED)
    for pk, esp_id in ((first, "esp-1"), (second, "esp-2")):
        accepted = SimpleNamespace(anymail_status=SimpleNamespace(message_id=esp_id))
        deliver._sent_record(OutboundMessage.objects.get(pk=pk), accepted, now)
    rows = OutboundMessage.objects.in_bulk([first, second])
    assert (rows[first].status, rows[first].esp_message_id, rows[first].sent_at) == (Status.DELIVERED, "esp-1", now)
    assert (rows[second].status, rows[second].esp_message_id) == (Status.SENT, "esp-2")


@pytest.mark.django_db
def test_a_batch_asks_about_the_supporters_addresses_in_one_query_and_suppresses_only_theirs(provider_standin):
    """A thank-you goes to the supporter's encrypted address: the batch asks about all of them at
    once, and a suppressed one (stored lower-case, typed in capitals) is still never sent to."""
    page = campaign_page(targets=[email_target(name="Jeff Rosen")])
    for email in ("Ann.Lee@Example.ORG", "bo@example.org", "cy@example.org"):
        email_action(page, supporter=SupporterFactory(email=email), live=True)
    OutboundMessage.objects.update(status=Status.QUEUED, attempts=0, sent_at=None, next_attempt_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        outcomes = deliver.messages_send()
    asked = [q["sql"] for q in queries if "actions_suppression" in q["sql"]]
    assert len(asked) == 2  # the target rows' own addresses in the claim's read, the supporters' in one more
    assert {o.status for o in outcomes.values()} == {Status.SENT}
    assert len(provider_standin.requests) == 6

    Suppression.objects.create(address="ann.lee@example.org", reason="bounced")
    OutboundMessage.objects.update(status=Status.QUEUED, attempts=0, sent_at=None, next_attempt_at=timezone.now())
    outcomes = deliver.messages_send()
    suppressed = OutboundMessage.objects.filter(status=Status.SUPPRESSED)
    assert [m.recipient for m in suppressed] == ["Ann.Lee@Example.ORG"]
    assert suppressed.get().kind == OutboundMessage.Kind.THANK_YOU
    assert sorted(o.status for o in outcomes.values()).count(Status.SENT) == 5
    assert len(provider_standin.requests) == 6 + 5
