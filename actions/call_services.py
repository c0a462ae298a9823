"""Writes for the call, share and referral steps. Each action still goes in through
``services.action_take``; these add the per-step checks (rate limits, allowed values)."""

import logging

from django.core.cache import cache
from django.utils import timezone

from .abuse_services import rate_limit_reason
from .models import ActionKind, CallOutcome, ReferralVisit, ShareChannel, Supporter
from .services import ActionResult, action_take

logger = logging.getLogger(__name__)

REFERRAL_VISIT_DEDUP_SECONDS = 60 * 60 * 24


def _limit_reason(*, kind: str, campaign_id: int, supporter: Supporter, ip_hash: str) -> str:
    # The same per-address and per-email limits as signing.
    return rate_limit_reason(kind=kind, campaign_id=campaign_id, ip_hash=ip_hash, email=supporter.email)


def call_outcome_log(
    *, campaign_id: int, supporter: Supporter, target_id: int, outcome: str, ip_hash: str = "", referrer_code: str = ""
) -> ActionResult:
    """Log one call to one target. Over a rate limit the call is stored flagged (not counted)
    and the caller answers exactly as for a counted one."""
    if outcome not in CallOutcome.values:
        raise ValueError(f"Unknown call outcome {outcome!r}")
    flag_reason = _limit_reason(kind="call", campaign_id=campaign_id, supporter=supporter, ip_hash=ip_hash)
    return action_take(
        campaign_id=campaign_id,
        kind=ActionKind.CALL,
        supporter=supporter,
        target_id=target_id,
        outcome=outcome,
        ip_hash=ip_hash,
        referrer_code=referrer_code,
        flag_reason=flag_reason,
    )


def share_log(*, campaign_id: int, supporter: Supporter, channel: str, ip_hash: str = "") -> ActionResult:
    """Log that a supporter shared the campaign on one channel (same flagging as calls)."""
    if channel not in ShareChannel.values:
        raise ValueError(f"Unknown share channel {channel!r}")
    flag_reason = _limit_reason(kind="share", campaign_id=campaign_id, supporter=supporter, ip_hash=ip_hash)
    return action_take(
        campaign_id=campaign_id,
        kind=ActionKind.SHARE,
        supporter=supporter,
        outcome=channel,
        ip_hash=ip_hash,
        flag_reason=flag_reason,
    )


def referral_visit_record(*, campaign_id: int, referrer_code: str, visitor_key: str) -> bool:
    """Note a visit that came through a share link; True when a row was written.

    ``visitor_key`` is opaque (an address hash or cookie id). The cache drops repeats from the
    same visitor for a day, so reloads do not inflate a referrer's count; if the cache is down,
    the visit is written anyway (an append-only insert is cheap).
    """
    if not referrer_code:
        return False
    day = timezone.localdate()
    try:
        first = cache.add(
            f"refvisit:{campaign_id}:{referrer_code}:{visitor_key}:{day}", 1, REFERRAL_VISIT_DEDUP_SECONDS
        )
    except Exception:
        logger.warning("cache unavailable; referral visit recorded without de-duplication")
        first = True
    if not first:
        return False
    if not Supporter.objects.filter(referral_code=referrer_code).exists():
        return False
    ReferralVisit.objects.create(campaign_id=campaign_id, referrer_code=referrer_code, day=day)
    return True
