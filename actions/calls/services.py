"""Call bridge services: start a session, apply what Twilio reports, close sessions that went quiet.

Layer: above ``actions.intake`` (a leg's verified outcome enters as a call action there), beside
the outbox. Nothing here renders TwiML (``twiml``) or reads a request (``views``).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import intake, phones
from ..ratelimit import Check, hits, limit_from_settings
from ..recognition import address_hash
from .models import BlockedNumber, CallLeg, CallMode, CallSession, CallState, CallSwitch, LegStatus
from .states import TWILIO_CALL_STATUS, state_advance
from .twilio_api import CallProviderError, call_place, twilio_configured

logger = logging.getLogger(__name__)

# Twilio's DialCallStatus for one leg -> the verified outcome stored on its call action.
DIAL_OUTCOME = {
    "completed": "verified_connected",
    "answered": "verified_connected",
    "busy": "verified_busy",
    "no-answer": "verified_no_answer",
    "failed": "verified_failed",
    "canceled": "verified_failed",
}
DIAL_LEG_STATUS = {
    "completed": LegStatus.COMPLETED,
    "answered": LegStatus.COMPLETED,
    "busy": LegStatus.BUSY,
    "no-answer": LegStatus.NO_ANSWER,
}


class CallRefused(Exception):
    """The supporter's request cannot be placed; ``str(error)`` is a sentence for them."""


@dataclass(frozen=True)
class LegSpec:
    """An office to connect: the target and the script already filled in for this supporter."""

    target: object  # actions.models.Target
    script: str


def call_switch_for(campaign_id: int) -> CallSwitch | None:
    return CallSwitch.objects.filter(campaign_id=campaign_id).first()


def call_me_offered(campaign_id: int) -> bool:
    """ "Call me" shows only with Twilio configured and the campaign's calls switched on."""
    if not twilio_configured():
        return False
    switch = call_switch_for(campaign_id)
    return switch is not None and switch.mode != CallMode.OFF


def number_is_blocked(e164: str) -> bool:
    return BlockedNumber.objects.filter(number=e164).exists()


def supporter_phone_check(raw: str, *, ip_hash: str) -> phones.Phone:
    """The number to ring, checked against everything that would make ringing it wrong."""
    try:
        phone = phones.phone_parse(raw)
    except phones.PhoneError as error:
        raise CallRefused(str(error)) from None
    if not phones.phone_is_callable(phone.e164) or number_is_blocked(phone.e164):
        raise CallRefused(_("We cannot call this number. Please use another one."))
    checks = [Check(scope="call_me_address", key=ip_hash, limit=limit_from_settings("call_me_address"))]
    since = timezone.now() - timedelta(days=1)
    rung_today = CallSession.objects.filter(phone_hash=address_hash(phone.e164), created_at__gte=since).count()
    if (ip_hash and any(hits(checks))) or rung_today >= settings.CALLS_PER_NUMBER_PER_DAY:
        raise CallRefused(_("This number has been called too often today. Please try again tomorrow."))
    return phone


def supporter_and_legs(supporter, legs) -> tuple:
    """The supporter (stored now when given as a function) and their legs (built for them when
    given as a function of the supporter)."""
    if callable(supporter):
        supporter = supporter()
    return supporter, legs(supporter) if callable(legs) else legs


def _leg_number(spec: LegSpec, switch: CallSwitch) -> tuple[str, str]:
    if switch.mode == CallMode.REVIEW:
        return switch.review_number, ""
    target = spec.target
    return phones.phone_parse(target.phone).e164, target.phone_extension


def _legs_create(session: CallSession, specs: list[LegSpec], switch: CallSwitch) -> int:
    created = 0
    for spec in specs:
        try:
            number, extension = _leg_number(spec, switch)
        except phones.PhoneError:
            continue
        if not number or not phones.phone_is_callable(number) or number_is_blocked(number):
            continue
        CallLeg.objects.create(
            session=session,
            position=created,
            target=spec.target,
            target_name=spec.target.name,
            script=spec.script,
            number=number,
            extension=extension,
        )
        created += 1
    return created


def call_session_start(
    *,
    campaign_id: int,
    supporter,
    phone: str,
    legs: "list[LegSpec] | Callable[[object], list[LegSpec]]",
    language: str,
    ip_hash: str,
    url_for: Callable[[CallSession, str], str],
) -> CallSession:
    """Check the number, store the session and its legs, then ask Twilio to ring the supporter.

    ``supporter`` may be a function that stores someone new (a stranger on the "call me" form),
    and ``legs`` a function of the supporter: they are called only once the number has passed
    every check, in the transaction that stores the session, so a refused request stores no one.

    ``url_for(session, name)`` gives the public URL of a webhook ("answer", "status"). Raises
    CallRefused (a sentence for the supporter) or CallProviderError (Twilio unreachable: the
    session is deleted again, so nothing is left half-created).
    """
    switch = call_switch_for(campaign_id)
    if switch is None or switch.mode == CallMode.OFF or not twilio_configured():
        raise CallRefused(_("Calls are not available for this campaign."))
    number = supporter_phone_check(phone, ip_hash=ip_hash)
    caller_id = switch.caller_id or settings.TWILIO_CALLER_ID
    with transaction.atomic():
        supporter, legs = supporter_and_legs(supporter, legs)
        session = CallSession.objects.create(
            campaign_id=campaign_id,
            supporter=supporter,
            phone=number.e164,
            phone_hash=address_hash(number.e164),
            ip_hash=ip_hash,
            mode=switch.mode,
            caller_id=caller_id,
            language=language,
            intro=switch.intro,
        )
        if not _legs_create(session, legs, switch):
            transaction.set_rollback(True)
            raise CallRefused(_("There is no office we can connect you to right now."))
        state_advance(session=session, state=CallState.REQUESTED, key="requested")
    try:
        sid = call_place(
            to=number.e164,
            caller_id=caller_id,
            answer_url=url_for(session, "answer"),
            status_url=url_for(session, "status"),
            ring_seconds=settings.CALL_RING_SECONDS,
        )
    except CallProviderError:
        session.delete()
        raise
    CallSession.objects.filter(pk=session.pk).update(call_sid=sid)
    session.call_sid = sid
    state_advance(session=session, state=CallState.RINGING, key="placed")
    logger.info("call session placed: session=%s campaign=%s legs=%s", session.pk, campaign_id, len(legs))
    return session


def call_status_apply(*, session: CallSession, status: str, duration: str = "") -> bool:
    """Twilio's status callback for the supporter's call; stored once per status, never backwards."""
    state = TWILIO_CALL_STATUS.get(status)
    if state is None:
        return False
    moved = state_advance(session=session, state=state, key=f"status:{status}", detail=status)
    if session.is_over:
        if duration.isdigit():
            CallSession.objects.filter(pk=session.pk, duration=None).update(duration=int(duration))
        CallLeg.objects.filter(session=session, status__in=[LegStatus.PENDING, LegStatus.DIALLING]).update(
            status=LegStatus.NOT_REACHED, ended_at=timezone.now()
        )
    return moved


def leg_dialling(*, session: CallSession, leg: CallLeg) -> None:
    state_advance(session=session, state=CallState.CONNECTED, key=f"leg:{leg.position}:dial", position=leg.position)
    CallLeg.objects.filter(pk=leg.pk, status=LegStatus.PENDING).update(status=LegStatus.DIALLING)


def leg_closed(*, session: CallSession, leg: CallLeg) -> None:
    """The office was closed when its turn came: skipped, and no call is counted."""
    CallLeg.objects.filter(pk=leg.pk, status=LegStatus.PENDING).update(status=LegStatus.CLOSED, ended_at=timezone.now())


def leg_result_record(*, session: CallSession, position: int, dial_status: str, duration: str, dial_sid: str):
    """Twilio's report of one dialled leg: the leg's status and duration, and one verified call
    action. A repeated report changes nothing (the leg keeps its first action)."""
    outcome = DIAL_OUTCOME.get(dial_status, "verified_failed")
    with transaction.atomic():
        leg = CallLeg.objects.select_for_update().filter(session=session, position=position).first()
        if leg is None or leg.action_id is not None:
            return leg
        action = intake.call_verified_log(
            campaign_id=session.campaign_id,
            supporter=session.supporter,
            target_id=leg.target_id,
            outcome=outcome,
            ip_hash=session.ip_hash,
            # In review mode the leg rang the review number, not the office: stored, never counted.
            flag_reason="review-mode" if session.mode == CallMode.REVIEW else "",
        )
        leg.status = DIAL_LEG_STATUS.get(dial_status, LegStatus.FAILED)
        leg.duration = int(duration) if duration.isdigit() else 0
        leg.dial_sid = dial_sid[:64]
        leg.action = action
        leg.ended_at = timezone.now()
        leg.save(update_fields=["status", "duration", "dial_sid", "action", "ended_at"])
    state_advance(
        session=session, state=CallState.CONNECTED, key=f"leg:{position}:done", position=position, detail=dial_status
    )
    return leg


def session_finish(*, session: CallSession) -> None:
    """The last leg is over and the thank-you is playing."""
    state_advance(session=session, state=CallState.COMPLETED, key="finished")


def sessions_close_stale() -> int:
    """Sessions Twilio never reported the end of: failed after CALL_SESSION_MAX_SECONDS."""
    cutoff = timezone.now() - timedelta(seconds=settings.CALL_SESSION_MAX_SECONDS)
    closed = 0
    for session in CallSession.objects.filter(created_at__lt=cutoff).exclude(
        state__in=[CallState.COMPLETED, CallState.NO_ANSWER, CallState.FAILED]
    ):
        closed += call_status_apply(session=session, status="failed") or 0
    return closed
