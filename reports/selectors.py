"""Reads for the organiser reports: every query a report, an export or the digest makes.

Figures come from the stored totals (``DailyTotal``, ``HourlyTotal``, ``ReferralTotal``), never
from a scan of the action log, so a report answers in the same time with a thousand actions or a
million. The listings and exports that show individual rows (signatures, messages, the export
log) return querysets or streamed ``values_list`` rows, so the views only filter and render.
"""

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import BooleanField, Case, CharField, DateTimeField, F, Func, Sum, Value, When
from django.utils import timezone

from actions.calls.models import CallLeg, LegStatus
from actions.models import (
    Action,
    ActionKind,
    CallOutcome,
    DailyTotal,
    HourlyTotal,
    OutboundMessage,
    ReferralTotal,
    Supporter,
    Target,
    VerifiedCallOutcome,
)
from cms.models import CampaignPage

from .exports import CHUNK_SIZE
from .models import ExportLog
from .outbox_selectors import (  # noqa: F401 (named by the report views as selectors.*)
    letter_rows,
    letter_targets,
    messages_by_channel,
    outbound_status_counts,
    suppressed_count,
)

KINDS = list(ActionKind.values)
# Statuses of an outbound message that an organiser must look at.
FAILING_MESSAGE_STATUSES = (OutboundMessage.Status.FAILED, OutboundMessage.Status.BOUNCED)

# --- Listings: the rows behind each report table and its export --------------------------------


def export_values(queryset, lookups: list[str], *, as_text: bool = False):
    """Stream ``lookups`` of ``queryset`` as tuples through a server-side cursor (PostgreSQL).

    ``as_text`` (the CSV export): on PostgreSQL, times come out already written in the site's
    zone and yes/no already spelled, so the rows need no parsing and converting per cell in
    Python, which was most of an export's time. Elsewhere the exporter converts them itself.
    """
    if as_text and connection.vendor == "postgresql":
        names = []
        for n, lookup in enumerate(lookups):
            text = _as_text(lookup, queryset.query.resolve_ref(lookup).output_field)
            if text is None:
                names.append(lookup)
            else:
                queryset = queryset.annotate(**{f"export_text_{n}": text})
                names.append(f"export_text_{n}")
        lookups = names
    return queryset.values_list(*lookups).iterator(chunk_size=CHUNK_SIZE)


def _as_text(lookup: str, field):
    """A text expression for a time or yes/no column, as ``exports`` writes them; else None."""
    if isinstance(field, DateTimeField):
        local = Func(Value(timezone.get_current_timezone_name()), F(lookup), function="timezone")
        return Func(local, Value("YYYY-MM-DD HH24:MI:SS"), function="to_char", output_field=CharField())
    if isinstance(field, BooleanField):
        cases = [When(**{lookup: True}, then=Value("yes")), When(**{lookup: False}, then=Value("no"))]
        return Case(*cases, default=Value(""), output_field=CharField())
    return None


def campaign_list():
    """Campaign pages by title, for the "Campaign" filter of the listings."""
    return CampaignPage.campaigns().order_by("title")


def signature_list():
    return Action.objects.filter(kind=ActionKind.SIGN).select_related("supporter", "campaign")


def call_total_list():
    """The daily call totals, one row per day, target, outcome and source, before summing."""
    return DailyTotal.objects.filter(kind=ActionKind.CALL)


def call_totals_summed(rows):
    """``rows`` (already filtered) summed per day, target and outcome, newest day first."""
    return (
        rows.values("day", "target_key", "outcome")
        .annotate(calls=Sum("count"), flagged=Sum("flagged_count"))
        .order_by("-day", "target_key", "outcome")
    )


def outcome_label(outcome: str) -> str:
    """How a report shows a call outcome or share channel; an action without one is "(none)"."""
    return outcome or "(none)"


def call_outcomes() -> list[str]:
    """The call outcomes the totals have seen, for the outcome filter."""
    return list(call_total_list().values_list("outcome", flat=True).distinct().order_by("outcome"))


def export_log_list():
    return ExportLog.objects.all()


def message_list():
    return OutboundMessage.objects.select_related("target")


def failed_message_count() -> int:
    return OutboundMessage.objects.filter(status=OutboundMessage.Status.FAILED).count()


def petition_delivery_rows(*, campaign_id: int):
    """(name, city, comment, local date) of each counted signature, oldest first, streamed."""
    rows = (
        Action.objects.filter(campaign_id=campaign_id, kind=ActionKind.SIGN, flagged=False)
        .order_by("created_at", "id")
        .values_list("supporter__first_name", "supporter__last_name", "supporter__city", "comment", "created_at")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for first_name, last_name, city, comment, created_at in rows:
        yield (f"{first_name} {last_name}".strip(), city, comment, timezone.localtime(created_at).date())


# --- Campaign overview ---------------------------------------------------------------------------


def _rows(queryset, *group_by):
    return queryset.values(*group_by).annotate(counted=Sum("count"), flagged=Sum("flagged_count")).order_by(*group_by)


def target_names(keys) -> dict[int, str]:
    """Display names of the targets with these ids; key 0 (an action without a target) included."""
    names = {target.pk: str(target) for target in Target.objects.filter(pk__in=[k for k in keys if k])}
    names[0] = "(no target)"
    return names


def campaign_signature_list() -> list[tuple[CampaignPage, int]]:
    """Every campaign, newest first, with its counted signatures."""
    signed = dict(
        DailyTotal.objects.filter(kind=ActionKind.SIGN)
        .values("campaign_id")
        .annotate(n=Sum("count"))
        .values_list("campaign_id", "n")
    )
    return [
        (page, signed.get(page.pk, 0)) for page in CampaignPage.campaigns().order_by("-first_published_at", "title")
    ]


def _per_kind(daily) -> dict:
    per_kind = {kind: {"counted": 0, "flagged": 0} for kind in KINDS}
    for row in _rows(daily, "kind"):
        per_kind[row["kind"]] = {"counted": row["counted"] or 0, "flagged": row["flagged"] or 0}
    return per_kind


def _counted_by_kind(rows, label) -> dict:
    """Counted actions per ``label(row)`` and kind, every kind present (zero if none)."""
    counted = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    for row in rows:
        counted[label(row)][row["kind"]] = row["counted"] or 0
    return counted


def _per_target(daily) -> dict:
    rows = list(_rows(daily.exclude(target_key=0), "target_key", "kind"))
    names = target_names({row["target_key"] for row in rows})
    per_target = _counted_by_kind(rows, lambda row: names.get(row["target_key"], f"target {row['target_key']}"))
    return dict(sorted(per_target.items()))


def _per_source(daily) -> dict:
    per_source = _counted_by_kind(_rows(daily, "source", "kind"), lambda row: row["source"] or "(direct)")
    return dict(sorted(per_source.items(), key=lambda item: -sum(item[1].values())))


def _outcomes(daily) -> dict:
    outcomes = defaultdict(dict)
    for row in _rows(daily.filter(kind__in=[ActionKind.CALL, ActionKind.SHARE]), "kind", "outcome"):
        outcomes[row["kind"]][outcome_label(row["outcome"])] = row["counted"] or 0
    return {kind: dict(sorted(outcomes[kind].items())) for kind in (ActionKind.CALL, ActionKind.SHARE)}


def _referrals(campaign_id: int) -> list[dict]:
    """The twenty supporters whose shares brought the most actions."""
    rows = list(
        ReferralTotal.objects.filter(campaign_id=campaign_id)
        .values("referrer_code")
        .annotate(counted=Sum("count"))
        .order_by("-counted", "referrer_code")[:20]
    )
    who = {
        s.referral_code: str(s) for s in Supporter.objects.filter(referral_code__in=[r["referrer_code"] for r in rows])
    }
    return [
        {"code": row["referrer_code"], "who": who.get(row["referrer_code"], "?"), "count": row["counted"]}
        for row in rows
    ]


def _per_day(daily) -> list[tuple[datetime.date, dict]]:
    per_day = _counted_by_kind(_rows(daily, "day", "kind"), lambda row: row["day"])
    days = sorted(per_day)
    if days:
        # Show quiet days as zero rather than leaving them out of the chart.
        day, last = days[0], days[-1]
        while day <= last:
            per_day[day]
            day += datetime.timedelta(days=1)
        days = sorted(per_day)
    return [(day, per_day[day]) for day in days]


def _per_hour(campaign_id: int, now: datetime.datetime) -> list[tuple[datetime.datetime, dict]]:
    """The last 48 clock hours, oldest first, quiet hours as zero."""
    since = (now - datetime.timedelta(hours=47)).replace(minute=0, second=0, microsecond=0)
    hours = [since + datetime.timedelta(hours=i) for i in range(48)]
    per_hour = {hour: dict.fromkeys(KINDS, 0) for hour in hours}
    for row in HourlyTotal.objects.filter(campaign_id=campaign_id, hour__gte=since).values("hour", "kind", "count"):
        if row["hour"] in per_hour:
            per_hour[row["hour"]][row["kind"]] += row["count"]
    return [(hour, per_hour[hour]) for hour in hours]


def campaign_overview(*, campaign, now: datetime.datetime | None = None) -> dict:
    """Everything the campaign overview shows, from stored totals only."""
    daily = DailyTotal.objects.filter(campaign_id=campaign.pk)
    per_kind = _per_kind(daily)
    outcomes = _outcomes(daily)
    signatures = per_kind[ActionKind.SIGN]["counted"]
    goal = campaign.goal_for(signatures)
    return {
        "per_kind": per_kind,
        "per_target": _per_target(daily),
        "per_source": _per_source(daily),
        "call_outcomes": outcomes[ActionKind.CALL],
        "call_verification": call_verification(campaign_id=campaign.pk),
        "share_channels": outcomes[ActionKind.SHARE],
        "referrals": _referrals(campaign.pk),
        "referred_total": ReferralTotal.objects.filter(campaign_id=campaign.pk).aggregate(n=Sum("count"))["n"] or 0,
        "per_day": _per_day(daily),
        "per_hour": _per_hour(campaign.pk, now or timezone.now()),
        "signatures": signatures,
        "goal": goal,
        "goal_percent": min(100, round(100 * signatures / goal, 1)) if goal else 0,
        "email_statuses": outbound_status_counts(campaign_id=campaign.pk),
        "by_channel": messages_by_channel(campaign_id=campaign.pk),
        "letter_targets": letter_targets(campaign_id=campaign.pk),
    }


def _median_seconds(legs) -> float | None:
    """The median of the legs' durations, read as the one or two middle rows (no full scan)."""
    count = legs.count()
    if not count:
        return None
    middle = list(legs.order_by("duration").values_list("duration", flat=True)[(count - 1) // 2 : count // 2 + 1])
    return sum(middle) / len(middle)


def call_verification(*, campaign_id: int) -> list[dict]:
    """Per target: calls supporters reported themselves beside calls the bridge verified (from the
    stored totals), and the median length of the verified calls that connected."""
    rows = _rows(DailyTotal.objects.filter(campaign_id=campaign_id, kind=ActionKind.CALL), "target_key", "outcome")
    per_target = defaultdict(lambda: {"self_reported": 0, "verified": 0, "connected": 0})
    for row in rows:
        counts = per_target[row["target_key"]]
        if row["outcome"] in VerifiedCallOutcome.values:
            counts["verified"] += row["counted"] or 0
            if row["outcome"] == VerifiedCallOutcome.CONNECTED:
                counts["connected"] += row["counted"] or 0
        elif row["outcome"] in CallOutcome.values:
            counts["self_reported"] += row["counted"] or 0
    names = target_names(per_target)
    connected = CallLeg.objects.filter(
        session__campaign_id=campaign_id, status=LegStatus.COMPLETED, duration__isnull=False
    )
    return [
        {
            "target": names.get(key, f"target {key}"),
            **counts,
            "median_seconds": _median_seconds(connected.filter(target_id=key)),
        }
        for key, counts in sorted(per_target.items(), key=lambda item: names.get(item[0], ""))
    ]
