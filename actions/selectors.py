"""Reads: totals for counters, a supporter's own actions. No writes here."""

import logging

from django.core.cache import cache
from django.db.models import Sum

from .models import Action, ActionKind, DailyTotal

logger = logging.getLogger(__name__)

# Counters may be this many seconds stale; reload storms then cost one query per interval.
TOTALS_CACHE_SECONDS = 2


def totals_cache_key(campaign_id: int) -> str:
    return f"actions:totals:{campaign_id}"


def campaign_totals(*, campaign_id: int) -> dict[str, int]:
    """Counted actions per kind for one campaign, from the stored totals (never the action log)."""
    key = totals_cache_key(campaign_id)
    try:
        cached = cache.get(key)
    except Exception:
        cached = None
    if cached is not None:
        return cached
    totals = {kind: 0 for kind in ActionKind.values}
    for row in DailyTotal.objects.filter(campaign_id=campaign_id).values("kind").annotate(n=Sum("count")):
        totals[row["kind"]] = row["n"] or 0
    try:
        cache.set(key, totals, TOTALS_CACHE_SECONDS)
    except Exception:
        logger.warning("cache unavailable; totals served uncached")
    return totals


def supporter_action_kinds(*, campaign_id: int, supporter) -> set[str]:
    """The kinds of action this supporter has already taken on this campaign."""
    if supporter is None:
        return set()
    return set(
        Action.objects.filter(campaign_id=campaign_id, supporter=supporter).values_list("kind", flat=True).distinct()
    )


def supporter_email_messages(*, campaign_id: int, supporter) -> list:
    """The messages this supporter's email action created for the targets, in target order."""
    from .models import OutboundMessage

    if supporter is None:
        return []
    return list(
        OutboundMessage.objects.filter(
            campaign_id=campaign_id,
            action__supporter=supporter,
            action__kind=ActionKind.EMAIL,
            kind=OutboundMessage.Kind.TO_TARGET,
        )
        .select_related("target")
        .order_by("pk")
    )
