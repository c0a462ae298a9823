""" "Call me when they open": a stored, cancellable request the beat turns into a call.

Offered when every office of the campaign is closed (live mode). The request keeps the number
and the scripts until it is placed at the first office's opening time, cancelled, or fails;
then the number is blanked. Placing goes through ``services.call_session_start`` like any
"Call me", so the switch, the blocklist and the daily limit are checked again at that moment.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Target
from . import services
from .models import CallbackRequest, CallbackStatus, CallMode
from .twilio_api import CallProviderError
from .webhook_urls import webhook_url

logger = logging.getLogger(__name__)


def first_opening(targets, *, at: datetime | None = None) -> datetime | None:
    """When the first office opens, if every one of them is closed now (hours known); else None."""
    states = [target.office_state(at=at) for target in targets]
    if not states or any(state.is_open or not state.known for state in states):
        return None
    openings = [state.opens_at for state in states if state.opens_at is not None]
    return min(openings) if openings else None


def callbacks_offered(campaign_id: int, targets) -> datetime | None:
    """The opening time a callback would be placed at, when offering one makes sense."""
    switch = services.call_switch_for(campaign_id)
    if switch is None or switch.mode != CallMode.LIVE:
        return None
    return first_opening(targets)


def callback_schedule(
    *, campaign_id: int, supporter, phone: str, legs: list[services.LegSpec], language: str, ip_hash: str
) -> CallbackRequest:
    """Store the request for the first opening; CallRefused (a sentence) when it cannot be.

    As in ``services.call_session_start``, ``supporter`` may be a function storing someone new and
    ``legs`` a function of the supporter; a refused request stores no one."""
    if not services.call_me_offered(campaign_id):
        raise services.CallRefused(_("Calls are not available for this campaign."))
    number = services.supporter_phone_check(phone, ip_hash=ip_hash)
    with transaction.atomic():  # a refusal below takes a stranger stored here back out
        supporter, legs = services.supporter_and_legs(supporter, legs)
        due_at = callbacks_offered(campaign_id, [leg.target for leg in legs])
        if due_at is None:
            raise services.CallRefused(_("An office is open now: we can call you straight away."))
        CallbackRequest.objects.filter(
            campaign_id=campaign_id, supporter=supporter, status=CallbackStatus.WAITING
        ).update(status=CallbackStatus.CANCELLED, phone="")  # one waiting request per supporter and campaign
        return CallbackRequest.objects.create(
            campaign_id=campaign_id,
            supporter=supporter,
            phone=number.e164,
            language=language,
            legs=[{"target": leg.target.pk, "script": leg.script} for leg in legs],
            due_at=due_at,
        )


def callback_cancel(*, callback_id, supporter) -> bool:
    return bool(
        CallbackRequest.objects.filter(pk=callback_id, supporter=supporter, status=CallbackStatus.WAITING).update(
            status=CallbackStatus.CANCELLED, phone=""
        )
    )


def waiting_callback(*, campaign_id: int, supporter) -> CallbackRequest | None:
    if supporter is None:
        return None
    return CallbackRequest.objects.filter(
        campaign_id=campaign_id, supporter=supporter, status=CallbackStatus.WAITING
    ).first()


def _place(callback: CallbackRequest) -> str:
    targets = Target.objects.in_bulk([leg["target"] for leg in callback.legs])
    legs = [
        services.LegSpec(target=targets[leg["target"]], script=leg["script"])
        for leg in callback.legs
        if leg["target"] in targets
    ]
    try:
        session = services.call_session_start(
            campaign_id=callback.campaign_id,
            supporter=callback.supporter,
            phone=callback.phone,
            legs=legs,
            language=callback.language,
            ip_hash="",
            url_for=lambda session, name: webhook_url(None, session, name),
        )
    except (services.CallRefused, CallProviderError, ImproperlyConfigured) as error:
        logger.warning("callback not placed: callback=%s reason=%s", callback.pk, type(error).__name__)
        CallbackRequest.objects.filter(pk=callback.pk).update(status=CallbackStatus.FAILED, phone="")
        return CallbackStatus.FAILED
    CallbackRequest.objects.filter(pk=callback.pk).update(session=session, phone="")
    return CallbackStatus.PLACED


def callbacks_fire(*, now: datetime | None = None) -> int:
    """Place every waiting callback that is due. Each is claimed first (waiting -> placed in one
    conditional update), so two beats or a repeated task never ring anyone twice."""
    placed = 0
    due = CallbackRequest.objects.filter(status=CallbackStatus.WAITING, due_at__lte=now or timezone.now())
    for callback in due.select_related("supporter"):
        if not CallbackRequest.objects.filter(pk=callback.pk, status=CallbackStatus.WAITING).update(
            status=CallbackStatus.PLACED
        ):
            continue
        placed += _place(callback) == CallbackStatus.PLACED
    if placed:
        logger.info("callbacks placed: %d (settings base %s)", placed, bool(settings.TWILIO_WEBHOOK_BASE_URL))
    return placed
