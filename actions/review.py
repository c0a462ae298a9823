"""Review: an organiser invalidates or restores flagged actions, and the totals follow.

Intake never refuses an action: one that looks automated or is over a rate limit is stored
flagged, not counted. Here an organiser decides otherwise, in bulk, from the admin's "Flagged
actions" view (``actions.admin_views``). Layer: above ``totals``, whose reconcile it calls.
"""

import logging

from django.db import transaction

from .models import Action
from .totals import totals_reconcile

logger = logging.getLogger(__name__)

ORGANISER_REASON = "organiser"


def _flip(*, action_ids, flagged: bool, reason: str) -> int:
    """Set the flag on these actions, then recompute their campaigns' totals exactly."""
    with transaction.atomic():
        actions = Action.objects.filter(pk__in=list(action_ids)).exclude(flagged=flagged)
        campaign_ids = set(actions.values_list("campaign_id", flat=True).distinct())
        changed = actions.update(flagged=flagged, flag_reason=reason)
    # Reconcile after the flip has committed: it locks the tally and recounts from the log, so a
    # fold running at the same moment cannot leave the totals off.
    for campaign_id in sorted(campaign_ids):
        totals_reconcile(campaign_id=campaign_id)
    logger.info("actions %s by organiser: %d", "invalidated" if flagged else "restored", changed)
    return changed


def actions_invalidate(*, action_ids, reason: str = ORGANISER_REASON) -> int:
    """Flag actions an organiser judged not genuine; they stop counting. Returns how many changed."""
    return _flip(action_ids=action_ids, flagged=True, reason=(reason or ORGANISER_REASON)[:64])


def actions_restore(*, action_ids) -> int:
    """Unflag actions an organiser judged genuine; they count again. Returns how many changed."""
    return _flip(action_ids=action_ids, flagged=False, reason="")
