"""The webhook bench: delivery rate and latency to a local receiver, beside the no-op task rate.

    make bench-webhooks                  (or: .venv/bin/python -m bench.webhooks_bench)

Production settings as the bench runs them (``bench/settings.py``), its own PostgreSQL database
(recreated) and Redis database, one Celery worker process taking the ``webhooks`` and default
queues (WEBHOOKS_BENCH_CONCURRENCY processes), and a receiver in this process (a threading HTTP
server on 127.0.0.1 that checks every signature and answers 200 at once). Signatures are taken
in this process through ``actions.intake``, as the petition does, so every delivery row is
written with its action and every wake-up goes through the real broker.

Three figures, all from the same run:
  - no-op rate: WEBHOOKS_BENCH_NOOP empty Celery tasks through the same broker and worker;
  - burst rate: WEBHOOKS_BENCH_BURST signatures committed in one transaction, then the clock runs
    until the receiver has every one of them (deliveries per second, signed and posted);
  - paced latency: WEBHOOKS_BENCH_RATE signatures a second for WEBHOOKS_BENCH_SECONDS, each
    timed from its commit to its arrival at the receiver (p50, p99, max).

Knobs: WEBHOOKS_BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/advocacy_bench_webhooks),
WEBHOOKS_BENCH_REDIS_URL (redis://127.0.0.1:6379/11), WEBHOOKS_BENCH_CONCURRENCY (2),
WEBHOOKS_BENCH_NOOP (2000), WEBHOOKS_BENCH_BURST (2000), WEBHOOKS_BENCH_RATE (50),
WEBHOOKS_BENCH_SECONDS (10). The result is printed and written to bench/results/webhooks-<time>.json.
"""

import json
import os
import secrets
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LOGS = ROOT / "var" / "bench" / "logs"
DATABASE_URL = os.environ.get(
    "WEBHOOKS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/advocacy_bench_webhooks"
)
REDIS_URL = os.environ.get("WEBHOOKS_BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
CONCURRENCY = int(os.environ.get("WEBHOOKS_BENCH_CONCURRENCY", "2"))
NOOP = int(os.environ.get("WEBHOOKS_BENCH_NOOP", "2000"))
BURST = int(os.environ.get("WEBHOOKS_BENCH_BURST", "2000"))
RATE = int(os.environ.get("WEBHOOKS_BENCH_RATE", "50"))
SECONDS = int(os.environ.get("WEBHOOKS_BENCH_SECONDS", "10"))
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def say(message: str) -> None:
    print(message, flush=True)


def environment() -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        SECRET_KEY=secrets.token_urlsafe(50),
        CLIENT_ADDRESS_HASH_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS="127.0.0.1",
        WEBHOOK_REQUIRE_HTTPS="False",  # the receiver is on loopback
        WEBHOOK_ALLOW_PRIVATE_ADDRESSES="True",
        WEBHOOK_RELAY_SECONDS="600",  # the bench wakes the workers itself
        PYTHONUNBUFFERED="1",
    )
    return env


def recreate_database() -> None:
    import psycopg

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    if not name.startswith("advocacy_bench"):
        raise SystemExit(f"refusing to drop {name!r}: the bench database's name must start with advocacy_bench")
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


class Receiver:
    """Records when each action's webhook arrived; counts bad signatures (there should be none)."""

    def __init__(self, secret_box: dict):
        self.arrived: dict[str, float] = {}
        self.bad = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                from integrations.signing import signature_valid

                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                now = time.time()
                valid = signature_valid(
                    secret=secret_box["secret"],
                    timestamp=self.headers.get("X-Advocacy-Timestamp"),
                    body=body,
                    header=self.headers.get("X-Advocacy-Signature"),
                    now=now,
                )
                action = json.loads(body)["data"]["action"]["identifiers"][0]
                with receiver.lock:
                    receiver.arrived.setdefault(action, now)
                    receiver.bad += not valid
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def count(self) -> int:
        with self.lock:
            return len(self.arrived)


def wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))] if ordered else None


def noop_rate() -> dict:
    import redis

    from bench.tasks import NOOP_DONE_KEY, bench_noop

    client = redis.Redis.from_url(REDIS_URL)
    client.delete(NOOP_DONE_KEY)
    start = time.monotonic()
    for n in range(NOOP):
        bench_noop.delay(n)
    wait_until(lambda: int(client.get(NOOP_DONE_KEY) or 0) >= NOOP, 180)
    elapsed = time.monotonic() - start
    done = int(client.get(NOOP_DONE_KEY) or 0)
    return {"tasks": done, "seconds": round(elapsed, 2), "per_second": round(done / elapsed, 1)}


def sign(campaign_id: int, n: int, run: str):
    from actions import intake

    return intake.signature_create(
        campaign_id=campaign_id, first_name="Bench", last_name=str(n), email=f"{run}{n}@example.org",
        postal_code="95110", submission=intake.Submission(source="bench"),
    ).action  # fmt: skip


def burst_rate(receiver: Receiver, campaign_id: int) -> dict:
    from django.db import transaction

    before = receiver.count()
    with transaction.atomic():
        for n in range(BURST):
            sign(campaign_id, n, "burst")
        committing = time.monotonic()
    complete = wait_until(lambda: receiver.count() - before >= BURST, 300)
    elapsed = time.monotonic() - committing
    delivered = receiver.count() - before
    return {"deliveries": delivered, "seconds": round(elapsed, 2), "per_second": round(delivered / elapsed, 1),
            "complete": complete}  # fmt: skip


def paced_latency(receiver: Receiver, campaign_id: int) -> dict:
    committed: dict[str, float] = {}
    start = time.monotonic()
    for n in range(RATE * SECONDS):
        time.sleep(max(0.0, start + n / RATE - time.monotonic()))
        action = sign(campaign_id, n, "paced")
        committed[f"advocacy:action:{action.pk}"] = time.time()
    wait_until(lambda: all(key in receiver.arrived for key in committed), 60)
    latencies = [(receiver.arrived[k] - t) * 1000 for k, t in committed.items() if k in receiver.arrived]
    return {
        "signatures": len(committed),
        "delivered": len(latencies),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "max_ms": round(max(latencies), 1),
    }


def measure(receiver: Receiver, secret_box: dict) -> dict:
    from cms.models import CampaignPage
    from integrations.services import subscription_create

    campaign_id = CampaignPage.campaigns().live().first().pk
    subscription = subscription_create(url=receiver.url, events=["action.created"], personal_data=True)
    secret_box["secret"] = subscription.secret
    say(f"Measuring: {NOOP:,} no-op Celery tasks through the worker")
    results = {"noop": noop_rate()}
    say(f"Measuring: a burst of {BURST:,} signatures, each posted as a signed webhook")
    results["burst"] = burst_rate(receiver, campaign_id)
    say(f"Measuring: {RATE}/s paced signatures for {SECONDS} s, commit to arrival")
    results["paced"] = paced_latency(receiver, campaign_id)
    results["bad_signatures"] = receiver.bad
    return results


def main() -> int:
    env = environment()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    recreate_database()
    LOGS.mkdir(parents=True, exist_ok=True)
    for args in (["migrate", "--no-input", "-v", "0"], ["load_campaign"]):
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    import django

    django.setup()
    import logging

    import redis

    logging.getLogger("actions").setLevel(logging.WARNING)  # one line per signature otherwise

    redis.Redis.from_url(REDIS_URL).flushdb()
    argv = [str(ROOT / ".venv" / "bin" / "celery"), "-A", "advocacy", "worker", "--loglevel=WARNING",
            f"--concurrency={CONCURRENCY}", "-Q", "webhooks,celery", "-n", "webhooks-bench@%h"]  # fmt: skip
    log = open(LOGS / "webhooks-worker.log", "w")  # noqa: SIM115 - closed at the end
    worker = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    secret_box = {"secret": ""}
    receiver = Receiver(secret_box)
    try:
        time.sleep(3)  # the worker connects to the broker
        results = measure(receiver, secret_box)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
        receiver.server.shutdown()
    noop, burst, paced = results["noop"], results["burst"], results["paced"]
    say("")
    say(f"no-op Celery task          {noop['per_second']:>8.0f}/s  ({noop['tasks']:,} in {noop['seconds']} s)")
    say(f"webhook delivery (burst)   {burst['per_second']:>8.0f}/s  ({burst['deliveries']:,} in {burst['seconds']} s)"
        f"  = {burst['per_second'] / max(noop['per_second'], 0.01):.2f} x no-op")  # fmt: skip
    say(f"webhook latency at {RATE}/s   p50 {paced['p50_ms']} ms, p99 {paced['p99_ms']} ms, max {paced['max_ms']} ms"
        f"  ({paced['delivered']}/{paced['signatures']} delivered)")  # fmt: skip
    say(f"bad signatures at the receiver: {results['bad_signatures']}; worker concurrency {CONCURRENCY}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"webhooks-{stamp}.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
