"""The sign POST's CPU in the web process, in-process and single-threaded, beside the bare view.

    make bench-sign-cpu                  (or: .venv/bin/python -m bench.sign_cpu)
    SIGN_CPU_PROFILE=1 make bench-sign-cpu   adds cProfile's top functions for the sign POST

``make bench`` measures the whole stack under load, where two shared cores and thread contention
make each figure move by tens of percent between runs. This measures one thing precisely, to
choose and check a change to the sign path before the full run: ``time.process_time()`` of this
one process per request, through Django's test client and the full middleware, with production
settings as the bench runs them (``bench/settings.py``), against a real PostgreSQL and Redis.
The database server's and Redis's own CPU is not in it (``make bench`` reads those from the
kernel's counters).

Requests, each timed SIGN_CPU_REQUESTS times (default 600) in rounds that alternate between
them, so a burst of load from elsewhere on the machine falls on all of them alike:

- ``sign``: a first-time signer's POST to the campaign page (a new email each time), as wrk
  sends it in ``make bench`` (bench/wrk/paced.lua), checked to answer 302 to ``thanks/``;
- ``bare``: the bare view's POST (``/bench/baseline/``) with the same CSRF cookie and token;
- ``totals``: ``totals.json``, and ``page``: the campaign page's GET, as a first-time visitor;
- ``thanks``: ``thanks/``, the page every signer's browser loads right after the sign POST's
  redirect, with the supporter cookie that POST set (wrk does not follow the redirect, so
  ``make bench``'s sign capacity leaves it out; a real signature costs the two together).

Statements per request are counted once (CaptureQueriesContext). The table is printed and
written to ``bench/results/sign-cpu-<time>.json``.

Knobs: SIGN_CPU_DATABASE_URL (postgres://postgres@127.0.0.1:5432/advocacy_bench_cpu; created
when missing, migrated, never dropped), SIGN_CPU_REDIS_URL (redis://127.0.0.1:6379/11; emptied at the start),
SIGN_CPU_REQUESTS (600), SIGN_CPU_PROFILE=1.
"""

import base64
import cProfile
import io
import json
import os
import pstats
import re
import secrets
import statistics
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DATABASE_URL = os.environ.get("SIGN_CPU_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/advocacy_bench_cpu")
REDIS_URL = os.environ.get("SIGN_CPU_REDIS_URL", "redis://127.0.0.1:6379/11")
REQUESTS = int(os.environ.get("SIGN_CPU_REQUESTS", "600"))
PROFILE = os.environ.get("SIGN_CPU_PROFILE") == "1"
HOST = "127.0.0.1"
FORM = "application/x-www-form-urlencoded"  # as browsers and wrk send the form
ROUND = 50  # requests of one kind in a row before the next kind


def say(message: str) -> None:
    print(message, flush=True)


def environment_prepare() -> None:
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
        # The form's start time is taken once, before the timed requests; none may be "too fast".
        SIGN_MIN_SECONDS="0",
    )


def database_ensure() -> None:
    """Create the database when it is missing; never drop anything."""
    import psycopg

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


class Visitor:
    """One browser: the campaign page's CSRF cookie, token and form start time, then requests."""

    def __init__(self, page_path: str, totals_path: str):
        from django.test import Client

        self.client = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
        self.page_path, self.totals_path = page_path, totals_path
        response = self.client.get(page_path)
        html = response.content.decode()
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        self.started = re.search(r'name="started" value="([^"]+)"', html).group(1)
        self.signed = 0
        self.supporter_cookie = None
        self.run_id = secrets.token_hex(3)

    def sign(self):
        self.signed += 1
        n = f"{self.run_id}-{self.signed}"
        response = self.client.post(
            self.page_path,
            urlencode(
                {
                    "csrfmiddlewaretoken": self.token,
                    "first_name": "Bench",
                    "last_name": f"Supporter{self.signed}",
                    "email": f"b{n}@bench.example",
                    "city": "San Jose",
                    "country": "US",
                    "postal_code": "95110",
                    "consent": "on",
                    "website": "",
                    "started": self.started,
                    "source": "bench",
                    "ref": "",
                }
            ),
            content_type=FORM,
            HTTP_X_FORWARDED_FOR=f"2001:db8::{self.signed % 65536:x}",
        )
        # The supporter cookie would make the next POST a returning signer's: each POST is a stranger's.
        # It is kept aside for ``thanks``, as the signer's browser sends it there.
        self.supporter_cookie = self.client.cookies.pop("supporter", None)
        if response.status_code != 302 or not response["Location"].endswith("thanks/"):
            raise SystemExit(f"sign: HTTP {response.status_code}: {response.content[:300]!r}")

    def bare(self):
        body = urlencode({"csrfmiddlewaretoken": self.token, "email": "x@bench.example"})
        response = self.client.post("/bench/baseline/", body, content_type=FORM)
        if response.status_code != 302:
            raise SystemExit(f"bare: HTTP {response.status_code}")

    def totals(self):
        if self.client.get(self.totals_path).status_code != 200:
            raise SystemExit("totals.json did not answer 200")

    def thanks(self):
        self.client.cookies["supporter"] = self.supporter_cookie.value
        response = self.client.get(self.page_path + "thanks/")
        self.client.cookies.pop("supporter", None)
        if response.status_code != 200:
            raise SystemExit(f"thanks/ did not answer 200 but {response.status_code}")

    def page(self):
        self.client.cookies.pop("supporter", None)
        if self.client.get(self.page_path).status_code != 200:
            raise SystemExit("the campaign page did not answer 200")


KINDS = ("sign", "bare", "totals", "page", "thanks")  # sign first: thanks needs its cookie


def statements_count(visitor: Visitor) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for kind in KINDS:
        getattr(visitor, kind)()  # warm: the first request of a kind fills the process's caches
        with CaptureQueriesContext(connection) as queries:
            getattr(visitor, kind)()
        counts[kind] = [q["sql"][:160] for q in queries.captured_queries]
    return counts


def cpu_measure(visitor: Visitor) -> dict:
    timings = {kind: [] for kind in KINDS}
    while len(timings["sign"]) < REQUESTS:
        for kind in KINDS:
            call = getattr(visitor, kind)
            for _ in range(ROUND):
                started = time.process_time()
                call()
                timings[kind].append((time.process_time() - started) * 1000)
    return timings


def profile_sign(visitor: Visitor, requests: int = 300) -> str:
    profiler = cProfile.Profile(time.process_time)  # CPU, not waits on the database
    profiler.enable()
    for _ in range(requests):
        visitor.sign()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime")
    stats.print_stats(30)
    stats.sort_stats("cumulative").print_stats(60)
    return out.getvalue()


def main() -> int:
    sys.path.insert(0, str(ROOT))
    environment_prepare()
    warnings.filterwarnings("ignore", message="No directory at")
    database_ensure()
    import django
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # nothing cached from another database's run

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    from cms.models import CampaignPage

    say(f"Preparing: database {urlparse(DATABASE_URL).path.lstrip('/')}, {REQUESTS} timed requests of each kind")
    call_command("migrate", "--no-input", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    call_command("load_campaign", stdout=StringIO())
    page = CampaignPage.campaigns().live().order_by("pk").first()
    visitor = Visitor(page.url, f"/api/campaigns/{page.campaign_id}/totals.json")
    started_at = datetime.now(UTC)
    statements = statements_count(visitor)
    timings = cpu_measure(visitor)
    bare = statistics.median(timings["bare"])
    rows = {}
    say(f"{'request':<8}{'statements':>11}{'CPU ms median':>15}{'mean':>8}{'p95':>8}{'x bare POST':>13}")
    for kind in KINDS:
        values = sorted(timings[kind])
        median = statistics.median(values)
        rows[kind] = {
            "statements": len(statements[kind]),
            "cpu_ms_median": round(median, 3),
            "cpu_ms_mean": round(statistics.fmean(values), 3),
            "cpu_ms_p95": round(values[int(len(values) * 0.95) - 1], 3),
            "ratio_to_bare": round(median / bare, 2),
            "requests": len(values),
        }
        r = rows[kind]
        say(
            f"{kind:<8}{r['statements']:>11}{r['cpu_ms_median']:>15.3f}{r['cpu_ms_mean']:>8.3f}"
            f"{r['cpu_ms_p95']:>8.3f}{r['ratio_to_bare']:>13.2f}"
        )
    say("statements of one sign POST:\n  " + "\n  ".join(statements["sign"]))
    if PROFILE:
        say(profile_sign(visitor))
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"sign-cpu-{started_at.strftime('%Y%m%d-%H%M%S')}.json"
    results = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "load_average_at_start": os.getloadavg(),
        "requests": rows,
        "sign_statements": statements["sign"],
    }
    path.write_text(json.dumps(results, indent=2) + "\n")
    say(f"Written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
