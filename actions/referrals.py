"""Visits that came through a supporter's share link (``?ref=``), counted for their referrer.

Not an action (nothing a supporter did), so it lives beside ``intake`` rather than in it.
"""

import logging

from django.core.cache import cache
from django.utils import timezone

from .models import ReferralVisit, Supporter

logger = logging.getLogger(__name__)

REFERRAL_VISIT_DEDUP_SECONDS = 60 * 60 * 24


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
