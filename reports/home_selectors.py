"""Reads for the organiser's first screen, the Wagtail admin's home (``reports.home_panel``).

Each live campaign's counts today and this week come from the stored totals (``DailyTotal``), one
query for every campaign together, never from a scan of the action log. Signatures are split by
the source the totals keep: ``paper`` and ``paper-<code>`` are paper sheets, ``event-<code>`` an
event's link or kiosk, anything else online. The "needs attention" counts are one small query
each, and only for the items the user may open.
"""

import datetime

from django.db.models import Count, Sum
from django.utils import timezone

from actions.models import Action, ActionKind, DailyTotal, OutboundMessage
from actions.review import ORGANISER_REASON
from cms.models import CampaignPage
from events.models import PAPER_SOURCE, SOURCE_PREFIX, PaperImport

from .selectors import FAILING_MESSAGE_STATUSES

# The columns of the counts table, in the order the panel shows them.
COLUMNS = ("online", "paper", "event", "email", "call")
# Above this many flagged actions the panel says "1000+" rather than count a flood row by row.
FLAGGED_CAP = 1000


def week_start(today: datetime.date) -> datetime.date:
    """The Monday of ``today``'s week: "this week" on the panel runs from it to today."""
    return today - datetime.timedelta(days=today.weekday())


def signature_column(source: str) -> str:
    """Which column a signature with this ``source`` counts in: paper, event or online."""
    if source == PAPER_SOURCE or source.startswith(f"{PAPER_SOURCE}-"):
        return "paper"
    if source.startswith(SOURCE_PREFIX):
        return "event"
    return "online"


def _column(kind: str, source: str) -> str | None:
    if kind == ActionKind.SIGN:
        return signature_column(source or "")
    return kind if kind in COLUMNS else None


def live_campaign_counts(*, today: datetime.date | None = None) -> list[dict]:
    """Each live campaign, by title, with its counts ``today`` and ``week`` per column."""
    today = today or timezone.localdate()
    since = week_start(today)
    campaigns = list(CampaignPage.campaigns().live().order_by("title").only("id", "title"))
    counts = {page.pk: {"today": dict.fromkeys(COLUMNS, 0), "week": dict.fromkeys(COLUMNS, 0)} for page in campaigns}
    rows = (
        DailyTotal.objects.filter(campaign_id__in=list(counts), day__gte=since, day__lte=today)
        .values("campaign_id", "day", "kind", "source")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for row in rows:
        column = _column(row["kind"], row["source"])
        if column is None:
            continue
        mine = counts[row["campaign_id"]]
        mine["week"][column] += row["n"] or 0
        if row["day"] == today:
            mine["today"][column] += row["n"] or 0
    return [{"campaign": page, **counts[page.pk]} for page in campaigns]


def flagged_waiting_count() -> int:
    """Flagged actions an organiser has not yet judged, at most ``FLAGGED_CAP`` + 1.

    Read through the partial index on flagged rows and cut off, so a flood of scripted actions
    costs the home page a bounded read; those an organiser already invalidated are not waiting.
    """
    waiting = Action.objects.filter(flagged=True).exclude(flag_reason=ORGANISER_REASON)
    return len(waiting.values_list("pk", flat=True)[: FLAGGED_CAP + 1])


def failing_message_counts() -> dict[str, int]:
    """Failed and bounced outbound messages, per status (both keys always present)."""
    counts = dict.fromkeys(FAILING_MESSAGE_STATUSES, 0)
    rows = (
        OutboundMessage.objects.filter(status__in=FAILING_MESSAGE_STATUSES)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def paper_imports_waiting_count() -> int:
    """Uploaded files of paper signatures still in preview, waiting for an organiser to confirm."""
    return PaperImport.objects.filter(status=PaperImport.Status.PREVIEW).count()
