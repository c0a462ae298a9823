"""Reads for the organiser reports. Every figure comes from the stored totals (``DailyTotal``,
``HourlyTotal``, ``ReferralTotal``), never from a scan of the action log, so a report answers in
the same time with a thousand actions or a million.
"""

import datetime
import logging
from collections import defaultdict

from django.apps import apps
from django.db.models import Count, Sum
from django.utils import timezone

from actions.models import ActionKind, DailyTotal, HourlyTotal, ReferralTotal, Supporter, Target

logger = logging.getLogger(__name__)

KINDS = list(ActionKind.values)
# Statuses of an outbound message that an organiser must look at.
FAILING_MESSAGE_STATUSES = ("failed", "bounced", "rejected", "complained")


def optional_model(app_label: str, model_name: str):
    """A model another branch adds (outbound messages, suppressions), or None before it exists."""
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def outbound_status_counts(*, campaign_id: int | None = None) -> dict[str, int] | None:
    """Outbound messages per delivery status, or None while ``actions.OutboundMessage`` does not
    exist. Lights up on its own once the email-delivery branch is merged."""
    model = optional_model("actions", "OutboundMessage")
    if model is None or not _has_field(model, "status"):
        return None
    messages = model.objects.all()
    if campaign_id is not None:
        if _has_field(model, "campaign"):
            messages = messages.filter(campaign_id=campaign_id)
        elif _has_field(model, "action"):
            messages = messages.filter(action__campaign_id=campaign_id)
    return {row["status"]: row["n"] for row in messages.values("status").annotate(n=Count("pk")).order_by("status")}


def suppressed_count() -> int | None:
    """Suppressed addresses, if a suppression model exists (from the email-delivery branch)."""
    for name in ("Suppression", "SuppressedAddress", "EmailSuppression"):
        model = optional_model("actions", name)
        if model is not None:
            return model.objects.count()
    return None


def _rows(queryset, *group_by):
    return queryset.values(*group_by).annotate(counted=Sum("count"), flagged=Sum("flagged_count")).order_by(*group_by)


def target_names(keys) -> dict[int, str]:
    names = {target.pk: str(target) for target in Target.objects.filter(pk__in=[k for k in keys if k])}
    names[0] = "(no target)"
    return names


def campaign_overview(*, campaign, now: datetime.datetime | None = None) -> dict:
    """Everything the campaign overview shows, from stored totals only."""
    now = now or timezone.now()
    daily = DailyTotal.objects.filter(campaign_id=campaign.pk)

    per_kind = {kind: {"counted": 0, "flagged": 0} for kind in KINDS}
    for row in _rows(daily, "kind"):
        per_kind[row["kind"]] = {"counted": row["counted"] or 0, "flagged": row["flagged"] or 0}

    target_rows = list(_rows(daily.exclude(target_key=0), "target_key", "kind"))
    names = target_names({row["target_key"] for row in target_rows})
    per_target = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    for row in target_rows:
        per_target[names.get(row["target_key"], f"target {row['target_key']}")][row["kind"]] = row["counted"] or 0

    per_source = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    for row in _rows(daily, "source", "kind"):
        per_source[row["source"] or "(direct)"][row["kind"]] = row["counted"] or 0

    outcomes = defaultdict(dict)
    for row in _rows(daily.filter(kind__in=[ActionKind.CALL, ActionKind.SHARE]), "kind", "outcome"):
        outcomes[row["kind"]][row["outcome"] or "(none)"] = row["counted"] or 0

    referral_rows = list(
        ReferralTotal.objects.filter(campaign_id=campaign.pk)
        .values("referrer_code")
        .annotate(counted=Sum("count"))
        .order_by("-counted", "referrer_code")[:20]
    )
    referrers = {
        s.referral_code: str(s)
        for s in Supporter.objects.filter(referral_code__in=[r["referrer_code"] for r in referral_rows])
    }
    referrals = [
        {"code": row["referrer_code"], "who": referrers.get(row["referrer_code"], "?"), "count": row["counted"]}
        for row in referral_rows
    ]
    referred_total = ReferralTotal.objects.filter(campaign_id=campaign.pk).aggregate(n=Sum("count"))["n"] or 0

    day_rows = _rows(daily, "day", "kind")
    per_day = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    for row in day_rows:
        per_day[row["day"]][row["kind"]] = row["counted"] or 0
    days = sorted(per_day)
    if days:
        # Show quiet days as zero rather than leaving them out of the chart.
        day, last = days[0], days[-1]
        while day <= last:
            per_day[day]
            day += datetime.timedelta(days=1)
        days = sorted(per_day)

    since = (now - datetime.timedelta(hours=47)).replace(minute=0, second=0, microsecond=0)
    hours = [since + datetime.timedelta(hours=i) for i in range(48)]
    per_hour = {hour: dict.fromkeys(KINDS, 0) for hour in hours}
    for row in HourlyTotal.objects.filter(campaign_id=campaign.pk, hour__gte=since).values("hour", "kind", "count"):
        if row["hour"] in per_hour:
            per_hour[row["hour"]][row["kind"]] += row["count"]

    signatures = per_kind[ActionKind.SIGN]["counted"]
    goal = campaign.goal_for(signatures)
    return {
        "per_kind": per_kind,
        "per_target": dict(sorted(per_target.items())),
        "per_source": dict(sorted(per_source.items(), key=lambda item: -sum(item[1].values()))),
        "call_outcomes": dict(sorted(outcomes[ActionKind.CALL].items())),
        "share_channels": dict(sorted(outcomes[ActionKind.SHARE].items())),
        "referrals": referrals,
        "referred_total": referred_total,
        "per_day": [(day, per_day[day]) for day in days],
        "per_hour": [(hour, per_hour[hour]) for hour in hours],
        "signatures": signatures,
        "goal": goal,
        "goal_percent": min(100, round(100 * signatures / goal, 1)) if goal else 0,
        "email_statuses": outbound_status_counts(campaign_id=campaign.pk),
    }


def day_totals(*, day: datetime.date) -> dict[tuple[int, str, int], int]:
    """Counted actions on one day keyed by (campaign id, kind, target key)."""
    return {
        (row["campaign_id"], row["kind"], row["target_key"]): row["n"] or 0
        for row in DailyTotal.objects.filter(day=day)
        .values("campaign_id", "kind", "target_key")
        .annotate(n=Sum("count"))
        .order_by()
    }


def digest_data(*, day: datetime.date) -> dict:
    """What the morning digest says about ``day``: totals per campaign, action and target, the
    change against the day before, and what is failing. Reads stored totals only."""
    from cms.models import CampaignPage

    before = day - datetime.timedelta(days=1)
    today, previous = day_totals(day=day), day_totals(day=before)
    flagged = {
        row["campaign_id"]: row["n"] or 0
        for row in DailyTotal.objects.filter(day=day).values("campaign_id").annotate(n=Sum("flagged_count")).order_by()
    }
    keys = set(today) | set(previous)
    names = target_names({target_key for _, _, target_key in keys})
    campaigns = []
    for page in CampaignPage.objects.filter(pk__in={campaign_id for campaign_id, _, _ in keys}).order_by("title"):
        kinds = []
        for kind in KINDS:
            mine = [key for key in keys if key[0] == page.pk and key[1] == kind]
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
        campaigns.append({"title": page.title, "kinds": kinds, "flagged": flagged.get(page.pk, 0)})
    statuses = outbound_status_counts()
    failing = {status: n for status, n in (statuses or {}).items() if status in FAILING_MESSAGE_STATUSES and n}
    return {
        "day": day,
        "before": before,
        "campaigns": campaigns,
        "failing_messages": failing,
        "messages_installed": statuses is not None,
        "suppressed": suppressed_count(),
    }
