"""Release: a flagged action that later looks fine counts again, with a record of why.

The per-address limit can still catch a real person (a crowd that crossed its ceiling, a
carrier's NAT on a busy evening). When that supporter later takes an action that counted, from
another address, a script burst is no longer the likely story: a person came back. Only the
``rate-address`` flag is released this way; a honeypot, a form filled in too fast or an email
over its own limit waits for an organiser (``actions.review``). Each release writes a
``FlagRelease`` naming the later action, then the campaign's totals are reconciled.

Run periodically by ``actions.tasks.flags_release``; safe to run twice (a released action is
no longer flagged). Layer: beside ``review``, above ``totals``.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .crowd import ADDRESS_REASON
from .models import Action, FlagRelease
from .totals import totals_reconcile

logger = logging.getLogger(__name__)

RELEASE_REASON = "acted again from another address, counted"
BATCH = 500


def _releasable(since):
    """Flagged ``rate-address`` actions since ``since``, each with its supporter's first later
    counted action from another known address (``evidence``)."""
    later = (
        Action.objects.filter(supporter=OuterRef("supporter"), flagged=False, created_at__gt=OuterRef("created_at"))
        .exclude(ip_hash="")
        .exclude(ip_hash=OuterRef("ip_hash"))
        .order_by("created_at")
        .values("pk")[:1]
    )
    return (
        Action.objects.filter(flagged=True, flag_reason=ADDRESS_REASON, created_at__gte=since)
        .exclude(ip_hash="")
        .annotate(evidence_id=Subquery(later))
        .filter(evidence_id__isnull=False)
        .order_by("created_at")
        .values_list("pk", "campaign_id", "evidence_id")
    )


def flags_release(*, now=None) -> int:
    """Release every flagged action vouched for by a later one (see the module); how many."""
    since = (now or timezone.now()) - timedelta(days=settings.FLAG_RELEASE_DAYS)
    released, campaign_ids = 0, set()
    while rows := list(_releasable(since)[:BATCH]):
        with transaction.atomic():
            for pk, campaign_id, evidence_id in rows:
                if Action.objects.filter(pk=pk, flagged=True).update(flagged=False, flag_reason=""):
                    FlagRelease.objects.create(
                        action_id=pk, previous_reason=ADDRESS_REASON, reason=RELEASE_REASON, evidence_id=evidence_id
                    )
                    released += 1
                    campaign_ids.add(campaign_id)
        if len(rows) < BATCH:
            break
    # After commit, as review does: the reconcile locks the tally and recounts from the log.
    for campaign_id in sorted(campaign_ids):
        totals_reconcile(campaign_id=campaign_id)
    if released:
        logger.info("flagged actions released automatically: %d", released)
    return released
