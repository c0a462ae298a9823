"""The call bench: what each Twilio webhook of a bridged call costs, in statements and CPU.

    make bench-calls                      (or: .venv/bin/python -m bench.calls_bench)

In-process, no web server, worker or load generator: production settings as the bench runs them
(``bench/settings.py``), Django's test client through the full middleware, Twilio's REST API a
local stand-in (``bench/twilio_standin.py``) reached through the real ``twilio`` client, and every
webhook signed with twilio's own RequestValidator as Twilio signs it. Each session rings one
supporter and walks both offices of the campaign ``load_campaign`` loads, live (the offices'
hours set to always open in the bench's database, so the result does not depend on the time of
day; nothing is really dialled, Twilio being the stand-in):

    answer, then per office: leg, key ("1": hear the script again), dial, done;
    leg past the last office (the session finishes: "leg_end"), status ("completed").

Statements are counted (CaptureQueriesContext, savepoints included) over the first sessions, the
first of them cold (caches empty: its count is kept apart as "statements_cold");
CPU is ``time.process_time()`` of this process per request over CALLS_BENCH_SESSIONS further
sessions, counted without the query capture. The database server's own CPU is not in the figure.
The baseline is a bare Django view POST (``/bench/baseline/``) through the same middleware, timed
in the same run. The table is printed and written to ``bench/results/calls-<time>.json``.

Knobs: CALLS_BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/advocacy_bench_calls; created
when missing, migrated, never dropped), CALLS_BENCH_REDIS_URL (redis://127.0.0.1:6379/12, emptied at the start; the
cache and the broker the verified call actions enqueue on), CALLS_BENCH_SESSIONS (40).
"""

import base64
import json
import os
import secrets
import statistics
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DATABASE_URL = os.environ.get("CALLS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/advocacy_bench_calls")
REDIS_URL = os.environ.get("CALLS_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
SESSIONS = int(os.environ.get("CALLS_BENCH_SESSIONS", "40"))
COUNTED_SESSIONS = 4  # sessions whose statements are counted; the first also warms the process up
HOST = "127.0.0.1"
AUTH_TOKEN = secrets.token_hex(16)
WEBHOOKS = ["answer", "leg", "key", "dial", "done", "leg_end", "status"]


def say(message: str) -> None:
    print(message, flush=True)


def environment_prepare(twilio_url: str) -> None:
    """bench/settings.py's production settings, this run's secrets, Twilio pointed at the stand-in."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        SECRET_KEY=secrets.token_urlsafe(50),
        CLIENT_ADDRESS_HASH_KEY=secrets.token_urlsafe(32),
        PII_KEYS=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        PII_INDEX_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        ALLOWED_HOSTS=HOST,
        LOG_LEVEL="WARNING",
        TWILIO_ACCOUNT_SID="AC" + secrets.token_hex(16),
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_CALLER_ID="+14085550100",
        TWILIO_API_BASE_URL=twilio_url,
        TWILIO_WEBHOOK_BASE_URL=f"http://{HOST}",
    )


def database_ensure() -> None:
    """Create the bench's database when it is missing; never drop anything."""
    import psycopg

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def campaign_prepare():
    """The campaign load_campaign loads, its calls switched live and its offices open around the
    clock in this database, so every leg is dialled and counted as in production; returns the page."""
    from io import StringIO

    from django.core.management import call_command

    from actions.calls.models import CallMode, CallSwitch
    from actions.models import Target
    from cms.models import CampaignPage

    call_command("migrate", "--no-input", verbosity=0)
    call_command("load_campaign", stdout=StringIO())
    page = CampaignPage.campaigns().live().order_by("pk").first()
    offices = [target.pk for target, _ask in page.call_targets()]
    Target.objects.filter(pk__in=offices).update(office_hours="Mon-Sun 00:00-24:00")
    CallSwitch.objects.update_or_create(campaign=page, defaults={"mode": CallMode.LIVE, "intro": ""})
    return page


def session_place(page, standin, number: int) -> tuple[dict, int]:
    """One supporter asks to be called (not measured): what the engine asked Twilio for, and the
    number of offices the session will connect to."""
    from actions.calls import services
    from actions.calls.models import CallLeg
    from actions.calls.webhook_urls import webhook_url
    from actions.models import Supporter
    from actions.pii import email_index
    from cms.steps.call_me import leg_specs

    email = f"caller-{secrets.token_hex(6)}@bench.example"
    supporter = Supporter.objects.create(
        first_name="Bench", last_name=f"Caller {number}", email=email, email_index=email_index(email)
    )
    session = services.call_session_start(
        campaign_id=page.pk,
        supporter=supporter,
        phone=f"+1650253{number % 10000:04d}",
        legs=leg_specs(page, supporter),
        language="en-US",
        ip_hash="",
        url_for=lambda session, name: webhook_url(None, session, name),
    )
    return standin.placed[-1], CallLeg.objects.filter(session=session).count()


def session_webhooks(placed: dict, offices: int) -> list[tuple[str, str, dict]]:
    """Twilio's requests for one session that goes through every office, in order."""
    base = placed["Url"].removesuffix("answer/")
    steps = [("answer", placed["Url"], {"CallStatus": "in-progress"})]
    for position in range(offices):
        leg = f"{base}leg/{position}/"
        steps += [
            ("leg", leg, {}),
            ("key", leg + "key/", {"Digits": "1"}),
            ("dial", leg + "dial/", {}),
            ("done", leg + "done/", {"DialCallStatus": "completed", "DialCallDuration": "61", "DialCallSid": "CA1"}),
        ]
    steps += [
        ("leg_end", f"{base}leg/{offices}/", {}),
        ("status", placed["StatusCallback"], {"CallStatus": "completed", "CallDuration": "150"}),
    ]
    return steps


class Webhooks:
    """Plays Twilio: signed POSTs through the test client, statements or CPU recorded per webhook."""

    def __init__(self):
        from django.test import Client
        from twilio.request_validator import RequestValidator

        self.client = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
        self.validator = RequestValidator(AUTH_TOKEN)
        self.statements = {name: [] for name in WEBHOOKS}
        self.cpu_ms = {name: [] for name in WEBHOOKS}

    def post(self, name: str, url: str, params: dict, *, count: bool) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        signature = self.validator.compute_signature(url, params)
        path = urlsplit(url).path
        if count:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)
            self.statements[name].append(len(queries))
        else:
            started = time.process_time()
            response = self.client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)
            self.cpu_ms[name].append((time.process_time() - started) * 1000)
        if response.status_code not in (200, 204):
            raise SystemExit(f"{name} {path}: HTTP {response.status_code}: {response.content[:300]!r}")


def baseline_measure(requests: int) -> dict:
    """The bare view's POST: statements once, then CPU per request over ``requests`` requests."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)  # the bare view has no CSRF token to show; the check is skipped
    with CaptureQueriesContext(connection) as queries:
        assert client.post("/bench/baseline/", {"email": "someone@example.org"}).status_code == 302
    timings = []
    for _ in range(requests):
        started = time.process_time()
        client.post("/bench/baseline/", {"email": "someone@example.org"})
        timings.append((time.process_time() - started) * 1000)
    return {"statements": len(queries), "cpu_ms_median": statistics.median(timings), "requests": requests}


def calls_measure(page, standin) -> dict:
    hooks = Webhooks()
    started = datetime.now(UTC)
    for number in range(COUNTED_SESSIONS + SESSIONS):
        placed, offices = session_place(page, standin, number)
        for name, url, params in session_webhooks(placed, offices):
            hooks.post(name, url, params, count=number < COUNTED_SESSIONS)
    return {"hooks": hooks, "offices": offices, "started": started}


def summary(hooks: "Webhooks", baseline: dict) -> dict:
    rows = {}
    for name in WEBHOOKS:
        cpu = sorted(hooks.cpu_ms[name])
        rows[name] = {
            "statements": statistics.median_low(hooks.statements[name][1:]),
            "statements_cold": hooks.statements[name][0],
            "cpu_ms_median": statistics.median(cpu),
            "cpu_ms_p95": cpu[max(0, int(len(cpu) * 0.95) - 1)],
            "cpu_vs_baseline": statistics.median(cpu) / baseline["cpu_ms_median"],
            "requests": len(cpu),
        }
    return rows


def table_print(rows: dict, baseline: dict) -> None:
    say(f"{'webhook':<10}{'statements':>11}{'CPU ms (median)':>17}{'CPU ms (p95)':>14}{'x baseline':>12}")
    for name, row in rows.items():
        say(
            f"{name:<10}{row['statements']:>11}{row['cpu_ms_median']:>17.2f}{row['cpu_ms_p95']:>14.2f}"
            f"{row['cpu_vs_baseline']:>12.1f}"
        )
    say(f"{'baseline':<10}{baseline['statements']:>11}{baseline['cpu_ms_median']:>17.2f}{'':>14}{1:>12.1f}")


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from bench.twilio_standin import TwilioStandIn

    standin = TwilioStandIn().start()
    environment_prepare(standin.url)
    # WhiteNoise warns that collectstatic has not run; the webhooks serve no static files.
    warnings.filterwarnings("ignore", message="No directory at")
    database_ensure()
    import django
    import redis

    # Its own Redis db, emptied: a cache filled against another database (Wagtail's site root
    # paths, the site cache) would answer for pages this database does not have.
    redis.Redis.from_url(REDIS_URL).flushdb()
    django.setup()
    say(f"Preparing: database {urlparse(DATABASE_URL).path.lstrip('/')}, {SESSIONS} timed sessions")
    page = campaign_prepare()
    try:
        measured = calls_measure(page, standin)
    finally:
        standin.stop()
    hooks = measured["hooks"]
    baseline = baseline_measure(max(200, len(hooks.cpu_ms["answer"]) * 4))
    rows = summary(hooks, baseline)
    table_print(rows, baseline)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = measured["started"].strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"calls-{stamp}.json"
    results = {
        "started_at": measured["started"].isoformat(timespec="seconds"),
        "config": {"sessions": SESSIONS, "counted_sessions": COUNTED_SESSIONS, "offices": measured["offices"]},
        "webhooks": rows,
        "baseline_post": baseline,
    }
    path.write_text(json.dumps(results, indent=2) + "\n")
    say(f"Written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
