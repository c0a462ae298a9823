"""Totals: fold committed actions into stored counts, and recompute them exactly from the log.

No supporter's request ever updates a counter (that row would be hot under a spike). Actions
are written untallied; ``totals_fold`` (run by a worker woken after commit, and by beat every
few seconds) adds them to ``DailyTotal``, ``HourlyTotal``, ``ReferralTotal`` and ``PartnerDailyTotal`` in batches under
a lock row no supporter touches. ``totals_reconcile`` recounts from the action log and fixes
any drift. Layer: above ``intake`` (it reads what intake wrote); below ``review``.
"""

import logging
from dataclasses import dataclass
from datetime import UTC

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate, TruncHour
from django.utils import timezone

from .models import (
    Action,
    ActionKind,
    DailyTotal,
    HourlyTotal,
    OutboundMessage,
    PartnerDailyTotal,
    ReferralTotal,
    TallyLock,
)
from .selectors import totals_cache_key

logger = logging.getLogger(__name__)

TALLY_BATCH = 5000

# The key of each stored total, as field names of its model.
DAILY_KEY = ("campaign_id", "day", "kind", "target_key", "outcome", "source")
HOURLY_KEY = ("campaign_id", "hour", "kind")
REFERRAL_KEY = ("campaign_id", "referrer_code", "kind")
PARTNER_KEY = ("campaign_id", "day", "partner_id", "kind")


@dataclass(frozen=True)
class Drift:
    campaign_id: int
    day: object
    kind: str
    target_key: int
    outcome: str
    source: str
    stored: tuple[int, int]
    actual: tuple[int, int]
    # "daily", "hourly" (day holds the hour), "referral" (source holds the referrer code) or
    # "partner" (target_key holds the partner's id).
    table: str = "daily"


def _lock_tally():
    lock, _ = TallyLock.objects.get_or_create(pk=1)
    return TallyLock.objects.select_for_update().get(pk=lock.pk)


def _counts():
    return {"counted": Count("id", filter=Q(flagged=False)), "flagged_n": Count("id", filter=Q(flagged=True))}


_PERIODS = {
    "day": lambda field: TruncDate(field, tzinfo=timezone.get_current_timezone()),
    "hour": lambda field: TruncHour(field, tzinfo=UTC),
}
# Where an email's per-message row keeps each key field (an email has no outcome).
_MESSAGE_FIELDS = {"target_id": "target_id", "source": "action__source"}


def _aggregate(actions, *, period: str, fields: tuple[str, ...] = ()) -> list[dict]:
    """Count actions per (campaign, period, kind, *fields).

    A counted email action is one row per supporter (target None), but it counts once per
    message it sent to a target: that count comes from its outbox rows, written in the same
    transaction, so they exist whenever the action does. Every other action, and a flagged
    email action, counts once. Daily and hourly totals both come from here, so they agree.
    """
    trunc = _PERIODS[period]
    by_message = Q(kind=ActionKind.EMAIL, flagged=False)
    rows = list(
        actions.exclude(by_message)
        .annotate(**{period: trunc("created_at")})
        .values("campaign_id", period, "kind", *fields)
        .annotate(**_counts())
        .order_by()
    )
    message_fields = [_MESSAGE_FIELDS[f] for f in fields if f in _MESSAGE_FIELDS]
    messages = (
        OutboundMessage.objects.filter(action__in=actions.filter(by_message), kind=OutboundMessage.Kind.TO_TARGET)
        .annotate(**{period: trunc("action__created_at")})
        .values("campaign_id", period, *message_fields)
        .annotate(counted=Count("id"))
        .order_by()
    )
    for message in messages:
        row = {"campaign_id": message["campaign_id"], period: message[period], "kind": ActionKind.EMAIL}
        row.update({f: message[_MESSAGE_FIELDS[f]] if f in _MESSAGE_FIELDS else "" for f in fields})
        rows.append({**row, "counted": message["counted"], "flagged_n": 0})
    return rows


def _daily_rows(actions) -> list[dict]:
    rows = _aggregate(actions, period="day", fields=("target_id", "outcome", "source"))
    for row in rows:
        row["target_key"] = row.pop("target_id") or 0
    return rows


def _hourly_rows(actions) -> list[dict]:
    return _aggregate(actions, period="hour")


def _referral_rows(actions) -> list[dict]:
    return list(actions.exclude(referrer_code="").values(*REFERRAL_KEY).annotate(**_counts()).order_by())


def _partner_rows(actions) -> list[dict]:
    """Actions through a partner's embed, once each (an email action too, whatever it sent)."""
    return list(
        actions.filter(partner__isnull=False)
        .annotate(day=_PERIODS["day"]("created_at"))
        .values(*PARTNER_KEY)
        .annotate(**_counts())
        .order_by()
    )


# Each stored total: its model, its key, and how to count it from a set of actions.
TOTALS = (
    (DailyTotal, DAILY_KEY, _daily_rows),
    (HourlyTotal, HOURLY_KEY, _hourly_rows),
    (ReferralTotal, REFERRAL_KEY, _referral_rows),
    (PartnerDailyTotal, PARTNER_KEY, _partner_rows),
)


def _add_counts(model, key: dict, counted: int, flagged: int) -> None:
    updated = model.objects.filter(**key).update(count=F("count") + counted, flagged_count=F("flagged_count") + flagged)
    if not updated:
        model.objects.create(**key, count=counted, flagged_count=flagged)


def totals_fold(*, batch_size: int = TALLY_BATCH) -> int:
    """Fold untallied actions into the stored totals in batches; returns how many were folded.

    Each batch is one transaction: it adds the batch's counts to every stored total and marks the
    batch tallied, so an action is counted exactly once even if two folds run at once.
    """
    folded = 0
    while True:
        with transaction.atomic():
            lock = _lock_tally()
            ids = list(Action.objects.filter(tallied=False).order_by("id").values_list("id", flat=True)[:batch_size])
            if not ids:
                return folded
            batch = Action.objects.filter(id__in=ids)
            for model, key_fields, rows_of in TOTALS:
                for row in rows_of(batch):
                    _add_counts(model, {f: row[f] for f in key_fields}, row["counted"], row["flagged_n"])
            affected = set(batch.values_list("campaign_id", flat=True).distinct())
            batch.update(tallied=True)
            lock.folded_at = timezone.now()
            lock.save(update_fields=["folded_at"])
        folded += len(ids)
        _forget_cached_totals(affected)
        if len(ids) < batch_size:
            return folded


def _forget_cached_totals(campaign_ids) -> None:
    try:
        cache.delete_many([totals_cache_key(campaign_id) for campaign_id in campaign_ids])
    except Exception:
        logger.warning("cache unavailable; cached totals expire on their own")


def _drift(model, key: dict, stored, actual) -> Drift:
    if model is DailyTotal:
        return Drift(**key, stored=stored, actual=actual)
    if model is HourlyTotal:
        return Drift(key["campaign_id"], key["hour"], key["kind"], 0, "", "", stored, actual, table="hourly")
    if model is PartnerDailyTotal:
        return Drift(
            key["campaign_id"], key["day"], key["kind"], key["partner_id"], "", "", stored, actual, table="partner"
        )
    return Drift(key["campaign_id"], None, key["kind"], 0, "", key["referrer_code"], stored, actual, table="referral")


def _reconcile_one(*, model, key_fields, actual_rows, stored_rows) -> list[Drift]:
    actual = {tuple(r[f] for f in key_fields): (r["counted"], r["flagged_n"]) for r in actual_rows}
    stored = {
        tuple(r[f] for f in key_fields): (r["count"], r["flagged_count"])
        for r in stored_rows.values(*key_fields, "count", "flagged_count")
    }
    drifts, fixed = [], []
    for key in sorted(set(actual) | set(stored), key=str):
        want, have = actual.get(key, (0, 0)), stored.get(key, (0, 0))
        if want == have:
            continue
        named = dict(zip(key_fields, key, strict=True))
        drifts.append(_drift(model, named, have, want))
        fixed.append(model(**named, count=want[0], flagged_count=want[1]))
    # One upsert per thousand keys on the table's unique key, not four round trips per key: after
    # an import a campaign can have tens of thousands of keys to fix (one per referrer, say).
    model.objects.bulk_create(
        fixed,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=key_fields,
        update_fields=["count", "flagged_count"],
    )
    return drifts


def totals_reconcile(*, campaign_id: int | None = None) -> list[Drift]:
    """Recompute every stored total exactly from the action log and fix any drift.

    Returns the differences it found (empty when the totals were already exact).
    """
    drifts: list[Drift] = []
    with transaction.atomic():
        _lock_tally()
        actions = Action.objects.filter(tallied=True)
        if campaign_id is not None:
            actions = actions.filter(campaign_id=campaign_id)
        for model, key_fields, rows_of in TOTALS:
            stored = model.objects.all()
            if campaign_id is not None:
                stored = stored.filter(campaign_id=campaign_id)
            drifts += _reconcile_one(
                model=model, key_fields=key_fields, actual_rows=rows_of(actions), stored_rows=stored
            )
    _forget_cached_totals({drift.campaign_id for drift in drifts})
    for drift in drifts:
        logger.warning("totals drift fixed: %s", drift)
    return drifts
