"""Reads: totals for counters, a supporter's own actions. No writes here."""

import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Sum

from .models import Action, ActionKind, DailyTotal, ReferralVisit, Suppression
from .privacy import supporter_data_sections

logger = logging.getLogger(__name__)

# Counters may be this many seconds stale; reload storms then cost one query per interval.
TOTALS_CACHE_SECONDS = 2


def totals_cache_key(campaign_id: int) -> str:
    return f"actions:totals:{campaign_id}"


def is_suppressed(address: str) -> bool:
    """Whether we must not email this address (it bounced, complained or unsubscribed)."""
    return bool(address) and Suppression.objects.filter(address__iexact=address.strip()).exists()


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


@dataclass(frozen=True)
class SupporterProgress:
    """What one supporter has already done on one campaign, per kind and per target.

    An action without a target (a signature, the one email action that writes to every target)
    counts as done for every target of its kind; an action with a target (a call) only for that
    target. ``outcomes`` keeps the latest call outcome per target for the ticks.
    """

    kinds: frozenset = frozenset()
    pairs: frozenset = frozenset()
    outcomes: dict = field(default_factory=dict)

    def done(self, kind: str, target_id: int | None = None) -> bool:
        if (kind, None) in self.pairs:
            return True
        if target_id is None:
            return kind in self.kinds
        return (kind, target_id) in self.pairs

    def done_for_all(self, kind: str, target_ids) -> bool:
        """True when every one of the targets is done (and there is at least one)."""
        target_ids = list(target_ids)
        if not target_ids:
            return kind in self.kinds
        return all(self.done(kind, target_id) for target_id in target_ids)


def supporter_progress(*, campaign_id: int, supporter) -> SupporterProgress:
    """One query: the (kind, target) pairs this supporter has acted on for this campaign.

    The email step counts per target from its email action here; when outbound messages record
    a target each, their (email, target) pairs belong in this same set.
    """
    if supporter is None:
        return SupporterProgress()
    rows = (
        Action.objects.filter(campaign_id=campaign_id, supporter=supporter)
        .order_by("created_at")
        .values_list("kind", "target_id", "outcome")
    )
    kinds, pairs, outcomes = set(), set(), {}
    for kind, target_id, outcome in rows:
        kinds.add(kind)
        pairs.add((kind, target_id))
        if kind == ActionKind.CALL and target_id is not None:
            outcomes[target_id] = outcome
    return SupporterProgress(kinds=frozenset(kinds), pairs=frozenset(pairs), outcomes=outcomes)


def campaign_totals_by_target(*, campaign_id: int, kind: str) -> dict[tuple[int, str], int]:
    """Counted actions of one kind per (target id, outcome), from the stored totals."""
    rows = (
        DailyTotal.objects.filter(campaign_id=campaign_id, kind=kind)
        .values("target_key", "outcome")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return {(row["target_key"], row["outcome"]): row["n"] or 0 for row in rows}


def referral_counts(*, campaign_id: int, referrer_code: str) -> dict[str, int]:
    """Visits and actions attributed to one referral code on one campaign."""
    return {
        "visits": ReferralVisit.objects.filter(campaign_id=campaign_id, referrer_code=referrer_code).count(),
        "actions": Action.objects.filter(campaign_id=campaign_id, referrer_code=referrer_code, flagged=False).count(),
    }


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


def supporter_data_export(*, supporter) -> dict:
    """Everything we hold about one supporter, for them (or an organiser acting for them): their
    details, their actions, and the sections other apps register (``privacy.supporter_data_sections``)."""
    actions = Action.objects.filter(supporter=supporter).select_related("campaign", "target").order_by("created_at")
    data = {
        "supporter": {
            "first_name": supporter.first_name,
            "last_name": supporter.last_name,
            "email": supporter.email,
            "city": supporter.city,
            "postal_code": supporter.postal_code,
            "country": supporter.country,
            "referral_code": supporter.referral_code,
            "created_at": supporter.created_at.isoformat(),
            "updates_stopped_at": (
                supporter.consent_withdrawn_at.isoformat() if supporter.consent_withdrawn_at else None
            ),
        },
        "actions": [
            {
                "campaign": action.campaign.title,
                "kind": action.kind,
                "target": action.target.name if action.target else None,
                "outcome": action.outcome,
                "comment": action.comment,
                "consent": action.consent,
                "consent_text": action.consent_text,
                "consent_at": action.consent_at.isoformat() if action.consent_at else None,
                "source": action.source,
                "created_at": action.created_at.isoformat(),
                # The address itself was never stored; say whether its keyed hash still is.
                "client_address_hash_kept": bool(action.ip_hash),
            }
            for action in actions
        ],
    }
    data.update(supporter_data_sections(supporter))
    return data


def public_signers(*, campaign_id: int, limit: int = 20) -> list[dict[str, str]]:
    """The newest counted signers for a campaign's public list: first name, last initial, city.

    Nothing else leaves the database: no email, full surname, postal code or comment. Flagged
    and anonymised signatures are never listed.
    """
    rows = (
        Action.objects.filter(
            campaign_id=campaign_id, kind=ActionKind.SIGN, flagged=False, supporter__anonymised_at__isnull=True
        )
        .order_by("-created_at")
        .values_list("supporter__first_name", "supporter__last_name", "supporter__city")[:limit]
    )
    return [
        {"first_name": first, "last_initial": f"{last[:1]}." if last else "", "city": city}
        for first, last, city in rows
    ]
