"""Intake: the one way in for every supporter action, and the one place that decides its flag.

Every route a supporter acts through (the petition form, the recognised one-button sign, a
one-click link from an email, the email step, a logged call, a logged share) binds its input
and calls one function here. Each of them asks ``flag_reason_decide`` whether the attempt looks
automated (honeypot, filled too fast) or is over a rate limit. A flagged action is still stored
and answered exactly like a counted one, so a bot learns nothing and a real person loses
nothing; an organiser can restore it later (``actions.review``).

Layer: above ``ratelimit`` and the models; below ``totals``, ``review`` and ``outbox``. The
totals are never touched here: after commit a worker is woken to fold the new action in.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations import events as webhook_events

from . import crowd, first_signature
from .fill_time import seconds_since_started
from .models import ONCE_PER_CAMPAIGN, Action, ActionKind, CallOutcome, ShareChannel, Supporter, VerifiedCallOutcome
from .pii import email_index
from .publish import publish_debounced
from .ratelimit import Check, hits, limit_from_settings
from .recognition import address_hash
from .submission import ActionResult, Submission  # noqa: F401 (callers build them as intake.Submission)
from .text import email_key

logger = logging.getLogger(__name__)


# --- The flag ----------------------------------------------------------------------------------


def rate_limit_reason(*, kind: str, campaign_id: int, ip_hash: str, email: str) -> str:
    """Count one attempt at an action of ``kind``; the flag reason when it is over a limit, else "".

    Limits are ``RATE_LIMITS[f"{kind}_address"]`` (per client address and campaign) and
    ``RATE_LIMITS[f"{kind}_email"]`` (per normalised email). Both count every attempt, so a bot
    cycling emails from one address, or one email from many addresses, is seen either way.

    Sign and email happen once per campaign: a repeat with the same email *is* the same action,
    so a per-campaign email count could never flag one that gets stored. For those kinds the
    per-email limit counts across campaigns instead: one address acting on campaign after
    campaign within minutes is a script. Keys are keyed hashes: no email or address in clear.
    """
    checks = {}  # reason -> what to count; both are counted in one round trip to the cache
    email_hash = address_hash(email_key(email)) if email else ""
    if email_hash:  # first: "rate-address" then means the email is within its limit (see crowd)
        key = email_hash if kind in ONCE_PER_CAMPAIGN else f"{campaign_id}:{email_hash}"
        checks["rate-email"] = Check(scope=f"{kind}_email", key=key, limit=limit_from_settings(f"{kind}_email"))
    if ip_hash:
        checks["rate-address"] = Check(
            scope=f"{kind}_address", key=f"{campaign_id}:{ip_hash}", limit=limit_from_settings(f"{kind}_address")
        )
    over = hits(list(checks.values())) if checks else []
    return next((reason for reason, is_over in zip(checks, over, strict=True) if is_over), "")


def fill_time_reason(started: str) -> str:
    """ "no-start-time" or "too-fast" when the form came back sooner than a person could fill it."""
    minimum = settings.SIGN_MIN_SECONDS
    if not minimum:
        return ""
    elapsed = seconds_since_started(started)
    if elapsed is None:
        return "no-start-time"
    return "too-fast" if elapsed < minimum else ""


def flag_reason_decide(*, kind: str, campaign_id: int, email: str, submission: Submission) -> str:
    """Why this attempt is flagged, or "". Rate limits count only attempts that pass the other checks.

    Over the per-address limit alone, ``actions.crowd`` decides: many people behind one address
    (a rally, a stall's tablet) count, a scripted burst keeps the flag.
    """
    if submission.honeypot:
        return "honeypot"
    if submission.started is not None and (reason := fill_time_reason(submission.started)):
        return reason
    ip_hash = "" if submission.at_event else submission.ip_hash
    reason = rate_limit_reason(kind=kind, campaign_id=campaign_id, ip_hash=ip_hash, email=email)
    if reason == crowd.ADDRESS_REASON:
        attempt = crowd.Attempt(
            email=email, name=submission.signer_name, user_agent=submission.user_agent, started=submission.started
        )
        reason = crowd.crowd_reason(kind=kind, campaign_id=campaign_id, ip_hash=submission.ip_hash, attempt=attempt)
    return reason


# --- Supporters and actions --------------------------------------------------------------------


def supporter_get_or_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    city: str = "",
    postal_code: str = "",
    country: str = "US",
    language: str = "",
) -> tuple[Supporter, bool]:
    """Find the supporter by normalised email, or create them.

    A returning supporter's details are never overwritten (a typo or a troll must not rename
    someone); only fields they left empty before are filled in.
    """
    index = email_index(email)
    supporter = Supporter.objects.filter(email_index=index).first()
    if supporter is None:
        try:
            with transaction.atomic():
                supporter = Supporter.objects.create(
                    email=email.strip(),
                    email_index=index,
                    first_name=first_name,
                    last_name=last_name,
                    city=city,
                    postal_code=postal_code,
                    country=country,
                    language=language,
                )
            return supporter, True
        except IntegrityError:
            # Another request created the same supporter a moment ago.
            supporter = Supporter.objects.get(email_index=index)
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


def _action_build(
    *, campaign_id, kind, supporter, submission, flag_reason, referrer_code="", consent=False, consent_text="", **fields
) -> Action:
    """The action row as it will be stored (not yet saved)."""
    return Action(
        campaign_id=campaign_id,
        kind=kind,
        supporter=supporter,
        consent=consent,
        consent_text=consent_text if consent else "",
        consent_at=timezone.now() if consent else None,
        source=submission.source[:64],
        referrer_code=referrer_code[:16],
        partner_id=submission.partner_id,
        ip_hash=submission.ip_hash,
        flagged=bool(flag_reason),
        flag_reason=flag_reason[:64],
        language=submission.language[:10],
        **fields,
    )


def _existing(*, campaign_id: int, supporter: Supporter, kind: str) -> Action | None:
    return Action.objects.filter(campaign_id=campaign_id, supporter=supporter, kind=kind).first()


def action_take(
    *,
    campaign_id: int,
    kind: str,
    supporter: Supporter,
    submission: Submission,
    flag_reason: str,
    target_id: int | None = None,
    outcome: str = "",
    comment: str = "",
    consent: bool = False,
    consent_text: str = "",
    on_created=None,
    supporter_is_new: bool = False,
) -> ActionResult:
    """Record one action, already judged by ``flag_reason_decide``. Every public function here ends here.

    Sign and email happen once per supporter per campaign: repeating one returns the existing
    action unchanged (``created`` is False). The action row is the only thing written: no
    counter moves in this transaction, so concurrent supporters never wait on each other.
    ``on_created(action)`` runs inside the same transaction, only for a new action, for work that
    must commit with it (the outbox rows). ``supporter_is_new`` says the supporter was created in
    this transaction, so no earlier action of theirs can exist and that lookup is skipped.
    """
    referrer_code = submission.referrer_code
    if referrer_code == supporter.referral_code:
        referrer_code = ""  # following your own share link is not a referral
    once = kind in ONCE_PER_CAMPAIGN
    if (
        once
        and not supporter_is_new
        and (existing := _existing(campaign_id=campaign_id, supporter=supporter, kind=kind))
    ):
        return ActionResult(action=existing, supporter=supporter, created=False)
    try:
        # A supporter created in this transaction can have no earlier action, so no conflict can
        # come back here: spare the savepoint (two statements on every first signature).
        with transaction.atomic(savepoint=not supporter_is_new):
            action = _action_build(
                campaign_id=campaign_id,
                kind=kind,
                supporter=supporter,
                submission=submission,
                flag_reason=flag_reason,
                referrer_code=referrer_code,
                target_id=target_id,
                outcome=outcome,
                comment=comment,
                consent=consent,
                consent_text=consent_text,
            )
            action.save(force_insert=True)
            _language_note(supporter, submission.language)
            if consent and supporter.consent_withdrawn_at is not None:
                # They ask for updates again, after once asking us to stop.
                Supporter.objects.filter(pk=supporter.pk).update(consent_withdrawn_at=None)
            webhook_events.action_created(action)  # delivery rows commit with the action
            if on_created is not None:
                on_created(action)
    except IntegrityError:
        if supporter_is_new:
            raise  # not a duplicate, and without a savepoint the transaction cannot go on
        existing = _existing(campaign_id=campaign_id, supporter=supporter, kind=kind) if once else None
        if existing is None:
            raise  # not a duplicate: something in on_created failed, and nothing was written
        return ActionResult(action=existing, supporter=supporter, created=False)
    return _taken(action, supporter)


def _language_note(supporter: Supporter, language: str) -> None:
    """Emails to a supporter follow the language of the page they last acted on."""
    if language and supporter.pk and supporter.language != language:
        Supporter.objects.filter(pk=supporter.pk).update(language=language)
        supporter.language = language


def _log_fields(action: Action) -> tuple:
    return action.kind, action.campaign_id, action.pk, action.flagged


def _taken(action: Action, supporter: Supporter) -> ActionResult:
    """A new action is in: wake a worker to fold it into the totals (at most about once a second)."""
    transaction.on_commit(lambda: publish_debounced("totals_refresh"))
    logger.info("action taken: kind=%s campaign=%s action=%s flagged=%s", *_log_fields(action))
    return ActionResult(action=action, supporter=supporter, created=True)


def signature_create(
    *,
    campaign_id: int,
    first_name: str,
    last_name: str,
    email: str,
    submission: Submission,
    city: str = "",
    postal_code: str = "",
    country: str = "US",
    comment: str = "",
    consent: bool = False,
    consent_text: str = "",
) -> ActionResult:
    """Sign the petition from the full form: find or create the supporter, then sign once.

    A first-time signer is written in one statement where the database allows it
    (``first_signature``); anyone else, or any doubt, takes the general path below.
    """
    flag_reason = flag_reason_decide(kind=ActionKind.SIGN, campaign_id=campaign_id, email=email, submission=submission)
    # The one-statement path writes nothing else, so webhooks' delivery rows take the general one.
    if first_signature.available() and not webhook_events.listening("action.created", campaign_id):
        supporter = Supporter(
            email=email.strip(),
            email_index=email_index(email),
            first_name=first_name,
            last_name=last_name,
            city=city,
            postal_code=postal_code,
            country=country,
            language=submission.language[:10],
        )
        action = _action_build(
            campaign_id=campaign_id,
            kind=ActionKind.SIGN,
            supporter=supporter,
            submission=submission,
            flag_reason=flag_reason,
            referrer_code=submission.referrer_code,
            comment=comment,
            consent=consent,
            consent_text=consent_text,
        )
        if first_signature.signature_insert(supporter, action):
            return _taken(action, supporter)
    with transaction.atomic():
        supporter, supporter_is_new = supporter_get_or_create(
            email=email,
            first_name=first_name,
            last_name=last_name,
            city=city,
            postal_code=postal_code,
            country=country,
            language=submission.language[:10],
        )
        return action_take(
            campaign_id=campaign_id,
            kind=ActionKind.SIGN,
            supporter=supporter,
            submission=submission,
            flag_reason=flag_reason,
            comment=comment,
            consent=consent,
            consent_text=consent_text,
            supporter_is_new=supporter_is_new,
        )


def _known_supporter_take(*, kind: str, campaign_id: int, supporter: Supporter, submission: Submission, **fields):
    """An action by a supporter we already know, judged and recorded like every other."""
    flag_reason = flag_reason_decide(kind=kind, campaign_id=campaign_id, email=supporter.email, submission=submission)
    return action_take(
        campaign_id=campaign_id,
        kind=kind,
        supporter=supporter,
        submission=submission,
        flag_reason=flag_reason,
        **fields,
    )


def signature_take(
    *, campaign_id: int, supporter: Supporter, submission: Submission, consent: bool = False, consent_text: str = ""
) -> ActionResult:
    """Sign for a supporter we already know: the recognised one-button sign and one-click links."""
    return _known_supporter_take(
        kind=ActionKind.SIGN,
        campaign_id=campaign_id,
        supporter=supporter,
        submission=submission,
        consent=consent,
        consent_text=consent_text,
    )


def call_outcome_log(
    *, campaign_id: int, supporter: Supporter, target_id: int, outcome: str, submission: Submission
) -> ActionResult:
    """Log one call to one target (flagged like every other action when over a limit)."""
    if outcome not in CallOutcome.values:
        raise ValueError(f"Unknown call outcome {outcome!r}")
    return _known_supporter_take(
        kind=ActionKind.CALL,
        campaign_id=campaign_id,
        supporter=supporter,
        submission=submission,
        target_id=target_id,
        outcome=outcome,
    )


def call_verified_log(
    *, campaign_id: int, supporter: Supporter, target_id: int, outcome: str, ip_hash: str, flag_reason: str = ""
) -> Action:
    """One leg the call bridge dialled, with Twilio's verdict. The supporter's request was weighed
    against the limits when they asked to be called (``actions.calls.services``); what Twilio
    reports is a fact, so nothing is decided here: the bridge flags only a leg that rang the
    review number instead of the office (``flag_reason="review-mode"``)."""
    if outcome not in VerifiedCallOutcome.values:
        raise ValueError(f"Unknown verified call outcome {outcome!r}")
    return action_take(
        campaign_id=campaign_id,
        kind=ActionKind.CALL,
        supporter=supporter,
        submission=Submission(ip_hash=ip_hash, source="call-bridge"),
        flag_reason=flag_reason,
        target_id=target_id,
        outcome=outcome,
    ).action


def share_log(*, campaign_id: int, supporter: Supporter, channel: str, submission: Submission) -> ActionResult:
    """Log that a supporter shared the campaign on one channel."""
    if channel not in ShareChannel.values:
        raise ValueError(f"Unknown share channel {channel!r}")
    return _known_supporter_take(
        kind=ActionKind.SHARE, campaign_id=campaign_id, supporter=supporter, submission=submission, outcome=channel
    )
