"""Abuse handling: rate limits on every public action, and organisers' review of flagged actions.

Nothing here refuses an action. An action over a limit is stored flagged (not counted) and the
supporter sees the usual success, so a bot learns nothing and a real person loses nothing; an
organiser can restore it later and the totals follow.
"""

import logging

from django.db import transaction

from . import services
from .models import Action
from .ratelimit import hit, limit_from_settings
from .recognition import address_hash
from .text import email_key

logger = logging.getLogger(__name__)

ORGANISER_REASON = "organiser"


def rate_limit_reason(*, kind: str, campaign_id: int, ip_hash: str, email: str) -> str:
    """Count one attempt at an action of ``kind``; the flag reason when it is over a limit, else "".

    Every public action (sign, email, call, share) comes through here, with the limits
    ``RATE_LIMITS[f"{kind}_address"]`` (per client address) and ``RATE_LIMITS[f"{kind}_email"]``
    (per normalised email), both per campaign. Both are counted on every attempt, so a bot cycling
    emails from one address, or one email from many addresses, is seen either way. Keys are keyed
    hashes: no email or address reaches the cache in clear.
    """
    reasons = []
    address_limit = limit_from_settings(f"{kind}_address")
    if ip_hash and hit(scope=f"{kind}_address", key=f"{campaign_id}:{ip_hash}", limit=address_limit):
        reasons.append("rate-address")
    email_hash = address_hash(email_key(email)) if email else ""
    email_limit = limit_from_settings(f"{kind}_email")
    if email_hash and hit(scope=f"{kind}_email", key=f"{campaign_id}:{email_hash}", limit=email_limit):
        reasons.append("rate-email")
    return reasons[0] if reasons else ""


def sign_rate_limit_reason(*, campaign_id: int, ip_hash: str, email: str) -> str:
    """The signing form's limits (see ``rate_limit_reason``)."""
    return rate_limit_reason(kind="sign", campaign_id=campaign_id, ip_hash=ip_hash, email=email)


def _flip(*, action_ids, flagged: bool, reason: str) -> int:
    """Set the flag on these actions, then recompute their campaigns' totals exactly."""
    with transaction.atomic():
        actions = Action.objects.filter(pk__in=list(action_ids)).exclude(flagged=flagged)
        campaign_ids = set(actions.values_list("campaign_id", flat=True).distinct())
        changed = actions.update(flagged=flagged, flag_reason=reason)
    # Reconcile after the flip has committed: it locks the tally and recounts from the log, so a
    # fold running at the same moment cannot leave the totals off.
    for campaign_id in sorted(campaign_ids):
        services.totals_reconcile(campaign_id=campaign_id)
    logger.info("actions %s by organiser: %d", "invalidated" if flagged else "restored", changed)
    return changed


def actions_invalidate(*, action_ids, reason: str = ORGANISER_REASON) -> int:
    """Flag actions an organiser judged not genuine; they stop counting. Returns how many changed."""
    return _flip(action_ids=action_ids, flagged=True, reason=(reason or ORGANISER_REASON)[:64])


def actions_restore(*, action_ids) -> int:
    """Unflag actions an organiser judged genuine; they count again. Returns how many changed."""
    return _flip(action_ids=action_ids, flagged=False, reason="")
