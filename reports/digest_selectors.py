"""Reads for the morning digest to the organisers (sent by ``reports.services.digest_send_if_due``).

Like every report, it reads the stored totals (``DailyTotal``), never the action log.
"""

import datetime

from django.db.models import Sum

from actions.models import DailyTotal
from cms.models import CampaignPage

from .selectors import FAILING_MESSAGE_STATUSES, KINDS, outbound_status_counts, suppressed_count, target_names


def day_totals(*, day: datetime.date) -> dict[tuple[int, str, int], int]:
    """Counted actions on one day keyed by (campaign id, kind, target key)."""
    return {
        (row["campaign_id"], row["kind"], row["target_key"]): row["n"] or 0
        for row in DailyTotal.objects.filter(day=day)
        .values("campaign_id", "kind", "target_key")
        .annotate(n=Sum("count"))
        .order_by()
    }


def _digest_kinds(campaign_id: int, *, keys: set, today: dict, previous: dict, names: dict) -> list[dict]:
    """One campaign's lines of the digest: per kind, then per target, with the change."""
    kinds = []
    for kind in KINDS:
        mine = [key for key in keys if key[0] == campaign_id and key[1] == kind]
        now_n = sum(today.get(key, 0) for key in mine)
        then_n = sum(previous.get(key, 0) for key in mine)
        targets = [
            {
                "name": names.get(key[2], "?"),
                "count": today.get(key, 0),
                "change": today.get(key, 0) - previous.get(key, 0),
            }
            for key in sorted(mine, key=lambda k: names.get(k[2], ""))
            if key[2]
        ]
        kinds.append({"kind": kind, "count": now_n, "change": now_n - then_n, "targets": targets})
    return kinds


def digest_data(*, day: datetime.date) -> dict:
    """What the morning digest says about ``day``: totals per campaign, action and target, the
    change against the day before, and what is failing. Reads stored totals only."""
    before = day - datetime.timedelta(days=1)
    today, previous = day_totals(day=day), day_totals(day=before)
    flagged = {
        row["campaign_id"]: row["n"] or 0
        for row in DailyTotal.objects.filter(day=day).values("campaign_id").annotate(n=Sum("flagged_count")).order_by()
    }
    keys = set(today) | set(previous)
    names = target_names({target_key for _, _, target_key in keys})
    campaigns = [
        {
            "title": page.title,
            "kinds": _digest_kinds(page.pk, keys=keys, today=today, previous=previous, names=names),
            "flagged": flagged.get(page.pk, 0),
        }
        for page in CampaignPage.objects.filter(pk__in={campaign_id for campaign_id, _, _ in keys}).order_by("title")
    ]
    failing = {status: n for status, n in outbound_status_counts().items() if status in FAILING_MESSAGE_STATUSES and n}
    return {
        "day": day,
        "before": before,
        "campaigns": campaigns,
        "failing_messages": failing,
        "suppressed": suppressed_count(),
    }
