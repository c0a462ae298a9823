"""Measure the organiser reports on whatever data the database holds (see generate_test_data).

    DATABASE_URL=postgres://... .venv/bin/python bench/reports_bench.py overview
    DATABASE_URL=postgres://... .venv/bin/python bench/reports_bench.py export [--format csv|xlsx]

``overview`` times the campaign overview page (in-process Django test client, the full view and
template, warm cache of nothing: the overview has no cache). ``export`` downloads every signature
of the campaign and reports rows per second and the process's peak RSS; run it in a fresh
process so the peak belongs to the export.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings.dev")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from actions.models import Action  # noqa: E402
from cms.models import CampaignPage  # noqa: E402


def _client():
    user, _ = User.objects.get_or_create(username="bench-organiser", defaults={"email": "bench@example.org"})
    user.groups.add(Group.objects.get(name="Organisers"))
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def _peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def overview(campaign, runs):
    client = _client()
    url = reverse("reports:overview", args=[campaign.pk])
    client.get(url)  # first request pays for imports and template loading
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    print(
        f"overview: {Action.objects.count():,} actions in the database; {runs} requests: "
        f"median {statistics.median(timings):.0f} ms, p95 {timings[int(len(timings) * 0.95) - 1]:.0f} ms, "
        f"max {timings[-1]:.0f} ms"
    )


def export(campaign, export_format):
    client = _client()
    baseline = _peak_rss_mb()
    url = reverse("reports:signatures") + f"?campaign={campaign.pk}&export={export_format}"
    started = time.perf_counter()
    response = client.get(url)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    elapsed = time.perf_counter() - started
    from reports.models import ExportLog

    rows = ExportLog.objects.filter(user__username="bench-organiser").latest("created_at").row_count
    print(
        f"export {export_format}: {rows:,} rows, {size / 1e6:.0f} MB in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s; "
        f"peak RSS {_peak_rss_mb():.0f} MB (before the export {baseline:.0f} MB)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["overview", "export"])
    parser.add_argument("--format", default="csv", choices=["csv", "xlsx"])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    page = CampaignPage.objects.order_by("pk").first()
    if args.what == "overview":
        overview(page, args.runs)
    else:
        export(page, args.format)
