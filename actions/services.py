"""Everything that changes supporters, actions and totals goes through these functions.

Views, page ``serve()`` methods and tasks bind their input and call one of these; they hold no
logic of their own. Arguments are keyword-only so call sites read as sentences.
"""

import logging
from dataclasses import dataclass
from datetime import UTC

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate, TruncHour
from django.utils import timezone

from .models import (
    ONCE_PER_CAMPAIGN,
    Action,
    ActionKind,
    DailyTotal,
    HourlyTotal,
    ReferralTotal,
    Supporter,
    TallyLock,
)
from .text import email_key

logger = logging.getLogger(__name__)

TALLY_BATCH = 5000


@dataclass(frozen=True)
class ActionResult:
    action: Action
    supporter: Supporter
    created: bool


def supporter_get_or_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    city: str = "",
    postal_code: str = "",
    country: str = "US",
) -> tuple[Supporter, bool]:
    """Find the supporter by normalised email, or create them.

    A returning supporter's details are never overwritten (a typo or a troll must not rename
    someone); only fields they left empty before are filled in.
    """
    key = email_key(email)
    supporter = Supporter.objects.filter(email_key=key).first()
    if supporter is None:
        try:
            with transaction.atomic():
                supporter = Supporter.objects.create(
                    email=email.strip(),
                    email_key=key,
                    first_name=first_name,
                    last_name=last_name,
                    city=city,
                    postal_code=postal_code,
                    country=country,
                )
            return supporter, True
        except IntegrityError:
            # Another request created the same supporter a moment ago.
            supporter = Supporter.objects.get(email_key=key)
    missing = {
        field: value
        for field, value in {"city": city, "postal_code": postal_code}.items()
        if value and not getattr(supporter, field)
    }
    if missing:
        Supporter.objects.filter(pk=supporter.pk).update(**missing, updated_at=timezone.now())
        for field, value in missing.items():
            setattr(supporter, field, value)
    return supporter, False


def action_take(
    *,
    campaign_id: int,
    kind: str,
    supporter: Supporter,
    target_id: int | None = None,
    outcome: str = "",
    comment: str = "",
    consent: bool = False,
    consent_text: str = "",
    source: str = "",
    referrer_code: str = "",
    ip_hash: str = "",
    flag_reason: str = "",
    on_created=None,
    supporter_is_new: bool = False,
) -> ActionResult:
    """Record one action. The single way in for every kind of action.

    Sign and email happen once per supporter per campaign: repeating one returns the existing
    action unchanged (``created`` is False). The action row is the only thing written here: no
    counter is updated in this transaction, so concurrent supporters never wait on each other.
    ``on_created(action)`` runs inside the same transaction, only for a new action, for work that
    must commit with it (such as outbound messages). ``supporter_is_new`` says the supporter was
    created in this same transaction, so no earlier action of theirs can exist and the lookup
    for one is skipped (one query less on every first signature; the constraint still holds).
    """
    if referrer_code == supporter.referral_code:
        referrer_code = ""  # following your own share link is not a referral
    now = timezone.now()
    fields = dict(
        campaign_id=campaign_id,
        kind=kind,
        supporter=supporter,
        target_id=target_id,
        outcome=outcome,
        comment=comment,
        consent=consent,
        consent_text=consent_text if consent else "",
        consent_at=now if consent else None,
        source=source[:64],
        referrer_code=referrer_code[:16],
        ip_hash=ip_hash,
        flagged=bool(flag_reason),
        flag_reason=flag_reason[:64],
    )
    if kind in ONCE_PER_CAMPAIGN and not supporter_is_new:
        existing = Action.objects.filter(campaign_id=campaign_id, supporter=supporter, kind=kind).first()
        if existing:
            return ActionResult(action=existing, supporter=supporter, created=False)
    try:
        with transaction.atomic():
            action = Action.objects.create(**fields)
            if on_created is not None:
                on_created(action)
    except IntegrityError:
        if kind not in ONCE_PER_CAMPAIGN:
            raise
        existing = Action.objects.filter(campaign_id=campaign_id, supporter=supporter, kind=kind).first()
        if existing is None:
            raise  # not a duplicate: something in on_created failed, and nothing was written
        return ActionResult(action=existing, supporter=supporter, created=False)
    transaction.on_commit(totals_refresh_soon)
    logger.info("action taken: kind=%s campaign=%s action=%s flagged=%s", kind, campaign_id, action.pk, action.flagged)
    return ActionResult(action=action, supporter=supporter, created=True)


def signature_create(
    *,
    campaign_id: int,
    first_name: str,
    last_name: str,
    email: str,
    city: str = "",
    postal_code: str = "",
    country: str = "US",
    comment: str = "",
    consent: bool = False,
    consent_text: str = "",
    source: str = "",
    referrer_code: str = "",
    ip_hash: str = "",
    flag_reason: str = "",
) -> ActionResult:
    """Sign a petition: find or create the supporter, then record the signature once.

    Every attempt is counted against the per-address and per-email rate limits; one over a
    limit is still stored, flagged with the reason, and answered like any other.
    """
    from .abuse_services import sign_rate_limit_reason

    if not flag_reason:
        flag_reason = sign_rate_limit_reason(campaign_id=campaign_id, ip_hash=ip_hash, email=email)
    with transaction.atomic():
        supporter, supporter_is_new = supporter_get_or_create(
            email=email,
            first_name=first_name,
            last_name=last_name,
            city=city,
            postal_code=postal_code,
            country=country,
        )
        return action_take(
            campaign_id=campaign_id,
            kind=ActionKind.SIGN,
            supporter=supporter,
            comment=comment,
            consent=consent,
            consent_text=consent_text,
            source=source,
            referrer_code=referrer_code,
            ip_hash=ip_hash,
            flag_reason=flag_reason,
            supporter_is_new=supporter_is_new,
        )


# --- Totals -------------------------------------------------------------------------------------

_REFRESH_PENDING_KEY = "actions:totals-refresh-pending"


def totals_refresh_soon() -> None:
    """Ask a worker to fold new actions into the totals, at most about once a second.

    Called after an action commits. If the broker is unreachable the periodic refresh catches
    up; the supporter's request never fails because of it.
    """
    from .tasks import totals_refresh

    try:
        if not cache.add(_REFRESH_PENDING_KEY, 1, timeout=1):
            return
    except Exception:  # the cache is Redis too; a dead Redis must not break signing
        logger.warning("cache unavailable; totals refresh left to the periodic task")
        return
    try:
        totals_refresh.delay()
    except Exception:
        logger.warning("broker unavailable; totals refresh left to the periodic task")


def _lock_tally():
    lock, _ = TallyLock.objects.get_or_create(pk=1)
    return TallyLock.objects.select_for_update().get(pk=lock.pk)


def _counts():
    return {"counted": Count("id", filter=Q(flagged=False)), "flagged_n": Count("id", filter=Q(flagged=True))}


def _aggregate(actions):
    """Count rows per total key. An email action counts once per message it sent to a target
    (see ``_aggregate_emails``); every other action, and a flagged email action, counts once."""
    counted_by_message = Q(kind=ActionKind.EMAIL, flagged=False)
    rows = list(
        actions.exclude(counted_by_message)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("campaign_id", "day", "kind", "target_id", "outcome", "source")
        .annotate(**_counts())
        .order_by()
    )
    return rows + _aggregate_emails(actions.filter(counted_by_message))


def _aggregate_emails(email_actions):
    # The email action is one row per supporter (target None); the per-target count comes from
    # its outbox rows, written in the same transaction, so they exist whenever the action does.
    from .models import OutboundMessage

    messages = (
        OutboundMessage.objects.filter(action__in=email_actions, kind=OutboundMessage.Kind.TO_TARGET)
        .annotate(day=TruncDate("action__created_at", tzinfo=timezone.get_current_timezone()))
        .values("campaign_id", "day", "target_id", "action__source")
        .annotate(counted=Count("id"))
        .order_by()
    )
    return [
        {
            "campaign_id": row["campaign_id"],
            "day": row["day"],
            "kind": ActionKind.EMAIL,
            "target_id": row["target_id"],
            "outcome": "",
            "source": row["action__source"],
            "counted": row["counted"],
            "flagged_n": 0,
        }
        for row in messages
    ]


def _aggregate_hourly(actions):
    """Per hour, with emails counted per message to a target exactly as in ``_aggregate``, so the
    hourly chart and the daily totals agree."""
    counted_by_message = Q(kind=ActionKind.EMAIL, flagged=False)
    rows = list(
        actions.exclude(counted_by_message)
        .annotate(hour=TruncHour("created_at", tzinfo=UTC))
        .values("campaign_id", "hour", "kind")
        .annotate(**_counts())
        .order_by()
    )
    from .models import OutboundMessage

    messages = (
        OutboundMessage.objects.filter(
            action__in=actions.filter(counted_by_message), kind=OutboundMessage.Kind.TO_TARGET
        )
        .annotate(hour=TruncHour("action__created_at", tzinfo=UTC))
        .values("campaign_id", "hour")
        .annotate(counted=Count("id"))
        .order_by()
    )
    return rows + [
        {
            "campaign_id": r["campaign_id"],
            "hour": r["hour"],
            "kind": ActionKind.EMAIL,
            "counted": r["counted"],
            "flagged_n": 0,
        }
        for r in messages
    ]


def _aggregate_referrals(actions):
    return (
        actions.exclude(referrer_code="")
        .values("campaign_id", "referrer_code", "kind")
        .annotate(**_counts())
        .order_by()
    )


def _add_counts(model, key: dict, counted: int, flagged: int) -> None:
    updated = model.objects.filter(**key).update(count=F("count") + counted, flagged_count=F("flagged_count") + flagged)
    if not updated:
        model.objects.create(**key, count=counted, flagged_count=flagged)


def totals_fold(*, batch_size: int = TALLY_BATCH) -> int:
    """Fold untallied actions into DailyTotal, HourlyTotal and ReferralTotal in batches;
    returns how many were folded.

    Each batch is one transaction: it adds the batch's counts to the stored totals and marks the
    batch tallied, so an action is counted exactly once even if the task runs twice at once.
    """
    folded = 0
    while True:
        with transaction.atomic():
            lock = _lock_tally()
            ids = list(Action.objects.filter(tallied=False).order_by("id").values_list("id", flat=True)[:batch_size])
            if not ids:
                return folded
            batch = Action.objects.filter(id__in=ids)
            for row in _aggregate(batch):
                key = dict(
                    campaign_id=row["campaign_id"],
                    day=row["day"],
                    kind=row["kind"],
                    target_key=row["target_id"] or 0,
                    outcome=row["outcome"],
                    source=row["source"],
                )
                _add_counts(DailyTotal, key, row["counted"], row["flagged_n"])
            # Hourly and referral totals move in the same transaction as the daily ones, so the
            # exactly-once guarantee of the tallied flag covers all three.
            for row in _aggregate_hourly(batch):
                key = dict(campaign_id=row["campaign_id"], hour=row["hour"], kind=row["kind"])
                _add_counts(HourlyTotal, key, row["counted"], row["flagged_n"])
            for row in _aggregate_referrals(batch):
                key = dict(campaign_id=row["campaign_id"], referrer_code=row["referrer_code"], kind=row["kind"])
                _add_counts(ReferralTotal, key, row["counted"], row["flagged_n"])
            Action.objects.filter(id__in=ids).update(tallied=True)
            lock.folded_at = timezone.now()
            lock.save(update_fields=["folded_at"])
            affected = set(Action.objects.filter(id__in=ids).values_list("campaign_id", flat=True).distinct())
        folded += len(ids)
        _forget_cached_totals(affected)
        if len(ids) < batch_size:
            return folded


def _forget_cached_totals(campaign_ids) -> None:
    from .selectors import totals_cache_key

    try:
        cache.delete_many([totals_cache_key(campaign_id) for campaign_id in campaign_ids])
    except Exception:
        logger.warning("cache unavailable; cached totals expire on their own")


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
    # "daily", "hourly" (day holds the hour) or "referral" (source holds the referrer code).
    table: str = "daily"


def totals_reconcile(*, campaign_id: int | None = None) -> list[Drift]:
    """Recompute stored totals exactly from the action log and fix any drift.

    Returns the differences it found (empty when the totals were already exact).
    """
    with transaction.atomic():
        _lock_tally()
        actions = Action.objects.filter(tallied=True)
        stored_rows = DailyTotal.objects.all()
        if campaign_id is not None:
            actions = actions.filter(campaign_id=campaign_id)
            stored_rows = stored_rows.filter(campaign_id=campaign_id)

        def key_of(row, target_field):
            return (
                row["campaign_id"],
                row["day"],
                row["kind"],
                row[target_field] or 0,
                row["outcome"],
                row["source"],
            )

        actual = {key_of(r, "target_id"): (r["counted"], r["flagged_n"]) for r in _aggregate(actions)}
        stored = {
            key_of(r, "target_key"): (r["count"], r["flagged_count"])
            for r in stored_rows.values(
                "campaign_id", "day", "kind", "target_key", "outcome", "source", "count", "flagged_count"
            )
        }
        drifts = []
        for key in sorted(set(actual) | set(stored), key=str):
            want, have = actual.get(key, (0, 0)), stored.get(key, (0, 0))
            if want == have:
                continue
            drifts.append(Drift(*key, stored=have, actual=want))
            campaign, day, kind, target_key, outcome, source = key
            DailyTotal.objects.update_or_create(
                campaign_id=campaign,
                day=day,
                kind=kind,
                target_key=target_key,
                outcome=outcome,
                source=source,
                defaults={"count": want[0], "flagged_count": want[1]},
            )
        drifts += _reconcile_hourly(actions, campaign_id)
        drifts += _reconcile_referrals(actions, campaign_id)
    _forget_cached_totals({drift.campaign_id for drift in drifts})
    for drift in drifts:
        logger.warning("totals drift fixed: %s", drift)
    return drifts


def _reconcile_keyed(*, model, key_fields, actual_rows, stored_rows, drift_of):
    actual = {tuple(r[f] for f in key_fields): (r["counted"], r["flagged_n"]) for r in actual_rows}
    stored = {
        tuple(r[f] for f in key_fields): (r["count"], r["flagged_count"])
        for r in stored_rows.values(*key_fields, "count", "flagged_count")
    }
    drifts = []
    for key in sorted(set(actual) | set(stored), key=str):
        want, have = actual.get(key, (0, 0)), stored.get(key, (0, 0))
        if want == have:
            continue
        drifts.append(drift_of(dict(zip(key_fields, key, strict=True)), have, want))
        model.objects.update_or_create(
            **dict(zip(key_fields, key, strict=True)), defaults={"count": want[0], "flagged_count": want[1]}
        )
    return drifts


def _reconcile_hourly(actions, campaign_id):
    stored = HourlyTotal.objects.all()
    if campaign_id is not None:
        stored = stored.filter(campaign_id=campaign_id)
    return _reconcile_keyed(
        model=HourlyTotal,
        key_fields=("campaign_id", "hour", "kind"),
        actual_rows=_aggregate_hourly(actions),
        stored_rows=stored,
        drift_of=lambda k, have, want: Drift(
            k["campaign_id"], k["hour"], k["kind"], 0, "", "", stored=have, actual=want, table="hourly"
        ),
    )


def _reconcile_referrals(actions, campaign_id):
    stored = ReferralTotal.objects.all()
    if campaign_id is not None:
        stored = stored.filter(campaign_id=campaign_id)
    return _reconcile_keyed(
        model=ReferralTotal,
        key_fields=("campaign_id", "referrer_code", "kind"),
        actual_rows=_aggregate_referrals(actions),
        stored_rows=stored,
        drift_of=lambda k, have, want: Drift(
            k["campaign_id"], None, k["kind"], 0, "", k["referrer_code"], stored=have, actual=want, table="referral"
        ),
    )
