"""Twilio's webhooks for one session: POST only, CSRF-exempt, and answered with 403 unless
``X-Twilio-Signature`` is Twilio's signature of the exact URL and fields (``RequestValidator``).

Each URL is keyed by the session id (and the leg's position), never by long query strings.
Every handler is safe to call twice: Twilio retries, and state changes are stored once.
"""

from functools import wraps

from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services, twiml
from .models import CallLeg, CallMode, CallSession
from .twilio_api import signature_valid
from .webhook_urls import public_url, webhook_url


def twilio_webhook(view):
    """POST only, CSRF-exempt, signature checked before anything is read or stored."""

    @csrf_exempt
    @require_POST
    @wraps(view)
    def checked(request, session_id, *args, **kwargs):
        params = {key: request.POST.get(key) for key in request.POST}
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature_valid(url=public_url(request, request.get_full_path()), params=params, signature=signature):
            return HttpResponseForbidden("Invalid signature.")
        session = get_object_or_404(CallSession.objects.select_related("supporter"), pk=session_id)

        def url(name, position=None):
            return webhook_url(request, session, name, position)

        return view(request, session, url, *args, **kwargs)

    return checked


def _xml(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="text/xml")


def _leg(session: CallSession, position: int) -> CallLeg | None:
    return CallLeg.objects.select_related("target").filter(session=session, position=position).first()


@twilio_webhook
def answer(request, session, url):
    services.call_status_apply(session=session, status="in-progress")
    return _xml(twiml.answer_twiml(session, url))


@twilio_webhook
def status(request, session, url):
    services.call_status_apply(
        session=session, status=request.POST.get("CallStatus", ""), duration=request.POST.get("CallDuration", "")
    )
    return HttpResponse(status=204)


@twilio_webhook
def leg(request, session, url, position):
    current = _leg(session, position)
    if current is None:
        services.session_finish(session=session)
        return _xml(twiml.leg_twiml(session, None, url))
    is_open = session.mode != CallMode.LIVE or current.target.office_state().is_open
    if not is_open:
        services.leg_closed(session=session, leg=current)
    return _xml(twiml.leg_twiml(session, current, url, is_open=is_open))


@twilio_webhook
def key(request, session, url, position):
    current = _leg(session, position)
    if current is None:
        raise Http404
    return _xml(twiml.key_twiml(session, current, url, digits=request.POST.get("Digits", "")))


@twilio_webhook
def dial(request, session, url, position):
    current = _leg(session, position)
    if current is None:
        raise Http404
    services.leg_dialling(session=session, leg=current)
    return _xml(twiml.dial_twiml(session, current, url))


@twilio_webhook
def done(request, session, url, position):
    services.leg_result_record(
        session=session,
        position=position,
        dial_status=request.POST.get("DialCallStatus", ""),
        duration=request.POST.get("DialCallDuration", ""),
        dial_sid=request.POST.get("DialCallSid", ""),
    )
    return _xml(twiml.next_twiml(session, position + 1, url))
