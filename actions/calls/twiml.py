"""What the supporter hears: the TwiML for each step of a session, built with twilio's VoiceResponse.

Every sentence goes through gettext in the session's language and is spoken with Twilio's
text-to-speech in that language. ``url(name, position)`` gives the webhook for the next step, so
this module knows nothing of routing.
"""

from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from twilio.twiml.voice_response import VoiceResponse

from .models import CallLeg, CallMode, CallSession

UrlFor = Callable[..., str]


def _say(node, session: CallSession, text: str) -> None:
    node.say(text, language=session.language)


def _in_language(build):
    def wrapper(session, *args, **kwargs):
        with translation.override(session.language.split("-")[0].lower()):
            return str(build(session, *args, **kwargs))

    return wrapper


@_in_language
def answer_twiml(session: CallSession, url: UrlFor) -> VoiceResponse:
    """The supporter picked up: the intro, then the first office."""
    response = VoiceResponse()
    _say(
        response,
        session,
        session.intro
        or _("Thank you for calling. We will connect you to each office in turn. Stay on the line after each call."),
    )
    if session.mode == CallMode.REVIEW:
        _say(response, session, _("This is a test call: every office is replaced by the campaign's review number."))
    response.redirect(url("leg", 0), method="POST")
    return response


@_in_language
def leg_twiml(session: CallSession, leg: CallLeg | None, url: UrlFor, *, is_open: bool = True) -> VoiceResponse:
    """One office's turn: its script (press 1 to hear it again), then the dial. After the last
    office, the thank-you."""
    response = VoiceResponse()
    if leg is None:
        _say(response, session, _("That was the last office. Thank you for calling! Goodbye."))
        response.hangup()
        return response
    if not is_open:
        _say(
            response,
            session,
            _("%(name)s's office is closed right now, so we will skip it.") % {"name": leg.target_name},
        )
        response.redirect(url("leg", leg.position + 1), method="POST")
        return response
    gather = response.gather(num_digits=1, action=url("key", leg.position), method="POST", timeout=2)
    _say(gather, session, _("Next: %(name)s. Here is what to say.") % {"name": leg.target_name})
    _say(gather, session, leg.script)
    _say(gather, session, _("Press 1 to hear this again. During the call, press star to move on to the next office."))
    response.redirect(url("dial", leg.position), method="POST")
    return response


@_in_language
def key_twiml(session: CallSession, leg: CallLeg, url: UrlFor, *, digits: str) -> VoiceResponse:
    """1 repeats the script; anything else goes on to the dial."""
    response = VoiceResponse()
    response.redirect(url("leg" if digits == "1" else "dial", leg.position), method="POST")
    return response


@_in_language
def dial_twiml(session: CallSession, leg: CallLeg, url: UrlFor) -> VoiceResponse:
    """Connect to the office from the campaign's caller ID; star hangs up on the office only."""
    response = VoiceResponse()
    _say(response, session, _("Connecting you to %(name)s.") % {"name": leg.target_name})
    dial = response.dial(
        caller_id=session.caller_id,
        action=url("done", leg.position),
        method="POST",
        hangup_on_star=True,
        timeout=settings.CALL_RING_SECONDS,
    )
    dial.number(leg.number, send_digits=f"wwww{leg.extension}" if leg.extension else None)
    return response


@_in_language
def next_twiml(session: CallSession, position: int, url: UrlFor) -> VoiceResponse:
    response = VoiceResponse()
    response.redirect(url("leg", position), method="POST")
    return response
