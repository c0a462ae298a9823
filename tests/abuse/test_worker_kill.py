"""A Celery worker killed with SIGKILL in the middle of a send.

Real processes, real parts: the worker is a separate ``celery worker`` process on the test
database and real Redis, sending through anymail's real Postmark backend to a local stand-in for
the provider. The worker claims all six rows in one batch; the stand-in holds the first request it
receives (already accepted, as a provider that has taken the message but not yet answered), and
the test kills the worker right then, with five claimed rows not yet handed over.

No anymail backend lets us hand the provider an idempotency key, so the promise is: nothing
lost, and at most one duplicate of the interrupted message, logged, carrying the same Message-ID
as the first copy so receiving mail systems can fold the two.
"""

import ast
import datetime
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from actions.models import OutboundMessage
from actions.outbox import deliver
from tests.factories import SupporterFactory, campaign_page, email_action, email_target
from tests.waiting import wait_for

pytestmark = pytest.mark.worker

Status = OutboundMessage.Status
ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The URL of the test database this test is using, for the worker process to open."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    credentials = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    return f"postgres://{credentials}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{config['NAME']}"


class WorkerProcess:
    """``celery -A advocacy worker`` in its own process, its output kept in a file."""

    def __init__(self, *, name: str, redis_url: str, provider_url: str, log_dir: Path):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "advocacy.settings.test",
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url,
            "TEST_CELERY_EAGER": "0",
            "TEST_EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
            "POSTMARK_SERVER_TOKEN": "test-token",
            "POSTMARK_API_URL": provider_url,
            "EMAIL_MAX_TAGS": "1",
        }
        self.log = log_dir / f"{name}.log"
        command = [sys.executable, "-m", "celery", "-A", "advocacy", "worker", "--pool=solo", "--loglevel=INFO"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{name}@localhost"]
        with self.log.open("w") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text()

    def finished_tasks(self) -> dict[str, str]:
        """Task id -> return value (as logged) of each task this worker has run to the end."""
        return dict(re.findall(r"Task [\w.]+\[([0-9a-f-]+)\] succeeded in [\d.]+s: (.*)", self.output()))

    def kill(self) -> int:
        self.process.send_signal(signal.SIGKILL)
        return self.process.wait(timeout=20)

    def stop(self):
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def queued_task_ids(broker) -> list[str]:
    """The ids of the send wake-ups waiting in the broker's email queue (a totals refresh woken
    by the same actions waits in the default queue; it is not what this test counts)."""
    waiting = [json.loads(raw)["headers"] for raw in broker.lrange("email", 0, -1)]
    return [headers["id"] for headers in waiting if headers["task"] == "actions.tasks.messages_send"]


def lease_expired(row: OutboundMessage, settings):
    """Shorten the lease to a second and wait out what is left of it since the row was claimed:
    the wait is what is under test (the relay must not take a row back before its lease ends)."""
    settings.EMAIL_LEASE_SECONDS = 1
    left = (row.claimed_at + datetime.timedelta(seconds=1) - timezone.now()).total_seconds()
    time.sleep(max(left, 0) + 0.05)


def message_ids(requests) -> Counter:
    """How many times the provider received each of our outbox rows."""
    return Counter(int(request["json"]["Metadata"]["message_id"]) for request in requests)


def message_id_header(request) -> str:
    headers = {header["Name"].lower(): header["Value"] for header in request["json"].get("Headers", [])}
    return headers["message-id"]


def test_worker_killed_mid_send_loses_nothing_and_duplicates_at_most_the_one_message(
    celery_broker, redis_url, provider_standin, settings, caplog, tmp_path
):
    campaign = campaign_page(targets=[email_target(name="Jeff Rosen"), email_target(name="Gavin Newsom")])
    for n in range(2):
        email_action(campaign, supporter=SupporterFactory(email=f"s{n}@example.org"), live=True)
    rows = set(OutboundMessage.objects.values_list("pk", flat=True))
    assert len(rows) == 6 and OutboundMessage.objects.filter(status=Status.QUEUED).count() == 6

    provider_standin.hold_next()
    workers = []
    try:
        first = WorkerProcess(name="doomed", redis_url=redis_url, provider_url=provider_standin.url, log_dir=tmp_path)
        workers.append(first)
        assert wait_for(lambda: provider_standin.held.is_set() or not first.alive(), timeout=60), first.output()
        assert first.alive(), first.output()

        # The worker is inside the provider call for the first row of its batch: every row is
        # claimed, none yet marked sent.
        (interrupted,) = message_ids(provider_standin.requests)
        assert interrupted == min(rows)
        assert set(OutboundMessage.objects.values_list("status", "attempts")) == {(Status.SENDING, 1)}
        assert first.kill() == -signal.SIGKILL
        provider_standin.release()

        row = OutboundMessage.objects.get(pk=interrupted)
        assert (row.status, row.attempts) == (Status.SENDING, 1)
        # While the lease runs, the relay leaves the rows alone (a slow worker is never overtaken).
        assert deliver.outbox_relay()["requeued"] == 0
        lease_expired(row, settings)
        with caplog.at_level(logging.WARNING, logger="actions.outbox"):
            relayed = deliver.outbox_relay()
        assert relayed["requeued"] == 6
        # Only the row the worker was handing over may be a duplicate; the rest were never sent.
        assert f"requeued 1 message(s) whose worker stopped mid-send: [{interrupted}]" in caplog.text
        assert "requeued 5 message(s) claimed but never sent by a stopped worker" in caplog.text

        # Every task now waiting (the first publish's and the relay's, duplicates among them)
        # is for the next worker to run.
        waiting = queued_task_ids(celery_broker)
        second = WorkerProcess(
            name="survivor", redis_url=redis_url, provider_url=provider_standin.url, log_dir=tmp_path
        )
        workers.append(second)
        drained(second, waiting=waiting, broker=celery_broker, sends=len(rows))
    finally:
        provider_standin.release()
        for worker in workers:
            worker.stop()
    sent_once_but_the_interrupted_twice(
        interrupted, rows=rows, requests=provider_standin.requests, output=second.output()
    )


def drained(worker: WorkerProcess, *, waiting: list[str], broker, sends: int):
    """Wait until ``worker`` has sent every row and run every waiting wake-up (together they
    send ``sends`` rows; a wake-up that finds nothing due sends nothing), then check that
    nothing is left in flight and the relay's next pass finds nothing more to send."""
    everything_sent = lambda: not OutboundMessage.objects.exclude(status=Status.SENT).exists()  # noqa: E731
    assert wait_for(everything_sent, timeout=60), worker.output()
    assert wait_for(lambda: set(waiting) <= worker.finished_tasks().keys(), timeout=60), worker.output()
    results = Counter()
    for task_id in waiting:
        results.update(ast.literal_eval(worker.finished_tasks()[task_id]))
    assert results == {"sent": sends}, results
    assert broker.llen("email") == 0
    assert deliver.outbox_relay() == {"requeued": 0, "due": 0, "woken": 0}
    assert worker.alive(), worker.output()


def sent_once_but_the_interrupted_twice(interrupted: int, *, rows: set, requests: list, output: str):
    """Nothing lost; the interrupted row sent once more, under the same Message-ID, and logged."""
    received = message_ids(requests)
    assert set(received) == rows  # nothing lost
    assert received[interrupted] == 2  # the interrupted one at most once more...
    assert all(count == 1 for pk, count in received.items() if pk != interrupted)  # ...the rest once
    # The rows the killed worker claimed but never handed over count one attempt, not two.
    others = OutboundMessage.objects.exclude(pk=interrupted)
    assert set(others.values_list("status", "attempts", "last_error")) == {(Status.SENT, 1, "")}
    copies = [request for request in requests if int(request["json"]["Metadata"]["message_id"]) == interrupted]
    assert message_id_header(copies[0]) == message_id_header(copies[1]) == f"<outbox-{interrupted}@example.org>"
    row = OutboundMessage.objects.get(pk=interrupted)
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 2, "")
    assert f"message {interrupted} sent (attempt 2)" in output
    assert f"message {interrupted} resent after its worker stopped mid-send: possible duplicate" in output
    assert output.count("possible duplicate") == 1
