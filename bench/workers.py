"""Which gunicorn worker class and counts to run: sign and bare-view capacity under each, same run.

    make bench-workers        (or: .venv/bin/python -m bench.workers)

Prepares the bench database like ``make bench`` (10,000 stored signatures), then for each
configuration starts the stack, warms it, and measures the sign POST and the bare view POST as
fast as answered (BENCH_CAPACITY_CONNECTIONS connections, BENCH_SECONDS each), with the CPU each
part of the stack spent per request. Configurations: BENCH_WORKER_CONFIGS, a space-separated list
of class:workers:threads (default "sync:4:1 sync:8:1 gthread:2:8 gthread:4:4 gthread:8:2").
Results go to bench/results/workers-<time>.json and a table on stdout.
"""

import json
import os
import time
from datetime import UTC, datetime
from urllib.parse import urlparse

import redis

from bench import prepare
from bench.cpu import CpuMeter, per_request, stack_groups
from bench.run import (
    CAPACITY_CONNECTIONS,
    DATABASE_URL,
    REDIS_URL,
    RESULTS,
    ROOT,
    SECONDS,
    Stack,
    Tokens,
    bench_env,
    manage,
    say,
    wrk,
)

CONFIGS = os.environ.get("BENCH_WORKER_CONFIGS", "sync:4:1 sync:8:1 gthread:2:8 gthread:4:4 gthread:8:2").split()


def measure(env, campaign_path) -> dict:
    stack = Stack(env)
    stack.up()
    try:
        tokens = Tokens(campaign_path)
        for handle in (
            wrk(path="/bench/baseline/", mode="get", rate=200, seconds=2),
            wrk(path=campaign_path, mode="sign", rate=50, seconds=2, tokens=tokens, run_id="warm"),
        ):
            handle.result()
        meter = CpuMeter(
            stack_groups(
                web_pid=stack.procs["web"].pid,
                worker_pid=stack.procs["worker"].pid,
                database=urlparse(DATABASE_URL).path.lstrip("/"),
                redis_port=urlparse(REDIS_URL).port or 6379,
            )
        )
        out = {}
        for key, path in (("sign", campaign_path), ("baseline", "/bench/baseline/")):
            meter.start()
            result = wrk(
                path=path,
                mode="sign",
                rate=0,
                seconds=SECONDS,
                tokens=tokens,
                run_id=f"w{key}{time.monotonic_ns()}",
                connections=CAPACITY_CONNECTIONS,
            ).result()
            result["cpu_ms_per_request"] = per_request(meter.stop(), result["requests"])
            out[key] = result
        return out
    finally:
        stack.down()


def main() -> int:
    env = bench_env()
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "SECRET_KEY")})
    os.environ.update(CLIENT_ADDRESS_HASH_KEY=env["CLIENT_ADDRESS_HASH_KEY"], ALLOWED_HOSTS="127.0.0.1")
    os.environ.update(PII_KEYS=env["PII_KEYS"], PII_INDEX_KEY=env["PII_INDEX_KEY"])
    say("Preparing the bench database (as make bench does: reused while no migration changed)")
    prepare.database_prepare(DATABASE_URL, lambda: manage(env, "migrate", "--no-input", "-v", "0"))
    redis.Redis.from_url(REDIS_URL).flushdb()
    prepare.static_prepare(
        ROOT / "var" / "bench" / "static", lambda: manage(env, "collectstatic", "--no-input", "-v", "0")
    )
    manage(env, "load_campaign")
    import django

    django.setup()
    from bench.seed import seed_signatures
    from cms.models import CampaignPage

    page = CampaignPage.campaigns().live().first()
    seed_signatures(campaign_id=page.pk, total=10_000, progress=lambda m: None)
    rows = {}
    for config in CONFIGS:
        worker_class, workers, threads = config.split(":")
        say(f"Measuring {worker_class}, {workers} workers x {threads} threads")
        rows[config] = measure(
            dict(env, WEB_WORKER_CLASS=worker_class, WEB_WORKERS=workers, WEB_THREADS=threads), page.url
        )
    say(f"\n{'configuration':<16} {'sign/s':>8} {'p99 ms':>8} {'bare/s':>8} {'ratio':>6} {'CPU ms/sign':>12}")
    for config, r in rows.items():
        sign, base = r["sign"], r["baseline"]
        say(
            f"{config:<16} {sign['rps']:>8.0f} {sign['p99_ms']:>8.0f} {base['rps']:>8.0f}"
            f" {sign['rps'] / max(base['rps'], 0.01):>6.2f} {sign['cpu_ms_per_request'].get('total', 0):>12.2f}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"workers-{stamp}.json"
    path.write_text(json.dumps({"load_average_at_start": os.getloadavg(), "configs": rows}, indent=2))
    say(f"\nWritten to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
