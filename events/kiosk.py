"""Kiosk mode: a volunteer's tablet at an event, where one person after another signs.

An organiser opens the event's kiosk link (signed with its own salt, per event, expiring after
``KIOSK_LINK_MAX_AGE`` and at the end of the event) on the device. Each signature goes through
``actions.intake.signature_create`` like any other, carrying the event; then a thank-you shows for
``KIOSK_THANKS_SECONDS`` and the empty form comes back for the next person. Nobody is recognised
or remembered: no supporter cookie is read or set (one left on the device is deleted), the
browser is told not to store the pages (``no-store``) nor to offer what was typed
(``autocomplete="off"``), and the thank-you names nobody.
"""

from django.conf import settings
from django.core import signing
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from actions import intake
from actions.forms import SignForm
from actions.recognition import address_hash, client_address, forget_supporter

from .models import Event
from .selectors import event_by_code

_SALT = "events.kiosk"
# Every field a person types: the browser must not suggest the previous signer's entries.
_TYPED_FIELDS = ("first_name", "last_name", "email", "city", "postal_code", "comment")


def kiosk_url(event: Event) -> str:
    """A fresh kiosk link for the event (path only)."""
    token = signing.dumps(event.pk, salt=_SALT)
    return reverse("event_kiosk", args=[event.code, token])


def _kiosk_event(request, code: str, token: str):
    """(event, None) when the link is good now, else (None, the friendly refusal to answer)."""
    event = event_by_code(code)
    try:
        valid = event is not None and signing.loads(token, salt=_SALT, max_age=settings.KIOSK_LINK_MAX_AGE) == event.pk
    except signing.BadSignature:  # forged, or older than KIOSK_LINK_MAX_AGE
        valid = False
    if not valid:
        return None, _no_trace(request, render(request, "events/kiosk_refused.html", {"ended": False}, status=404))
    if timezone.now() > event.ends_at or not event.campaign.live:
        return None, _no_trace(
            request, render(request, "events/kiosk_refused.html", {"ended": True, "event": event}, status=410)
        )
    return event, None


def _no_trace(request, response):
    """Nothing of one signer stays on the device for the next."""
    response["Cache-Control"] = "no-store"
    if settings.SUPPORTER_COOKIE_NAME in request.COOKIES:
        forget_supporter(response)
    return response


def _kiosk_form(form: SignForm) -> SignForm:
    for name in _TYPED_FIELDS:
        form.fields[name].widget.attrs["autocomplete"] = "off"
    return form


@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def kiosk(request, code: str, token: str):
    """The large-type sign form on the volunteer's device; a POST signs and shows the thank-you."""
    event, refusal = _kiosk_event(request, code, token)
    if refusal is not None:
        return refusal
    campaign = event.campaign.specific
    status = 200
    if request.method == "POST" and not campaign.is_closed:
        form = SignForm(request.POST, consent_text=campaign.consent_text)
        if form.is_valid():
            _sign(request, event=event, campaign=campaign, form=form)
            thanks = reverse("event_kiosk_thanks", args=[code, token])
            return _no_trace(request, HttpResponseRedirect(thanks))
        status = 400
    else:
        form = SignForm(consent_text=campaign.consent_text)
    context = {"event": event, "campaign": campaign, "form": _kiosk_form(form)}
    return _no_trace(request, render(request, "events/kiosk.html", context, status=status))


def _sign(request, *, event: Event, campaign, form: SignForm) -> None:
    data = form.cleaned_data
    result = intake.signature_create(
        campaign_id=campaign.pk,
        consent_text=campaign.consent_text,
        submission=intake.Submission(
            ip_hash=address_hash(client_address(request)),
            honeypot=data["website"],
            started=data["started"],
            source=event.source,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:512],
            signer_name=form.signer_name,
            at_event=event.is_open(),
        ),
        **form.signer(),
    )
    campaign.confirmation_request(request, result)


@require_safe
def kiosk_thanks(request, code: str, token: str):
    """Thanks, naming nobody; the empty form returns by itself after a few seconds."""
    event, refusal = _kiosk_event(request, code, token)
    if refusal is not None:
        return refusal
    context = {
        "event": event,
        "campaign": event.campaign.specific,
        "seconds": settings.KIOSK_THANKS_SECONDS,
        "next_url": reverse("event_kiosk", args=[code, token]),
    }
    return _no_trace(request, render(request, "events/kiosk_thanks.html", context))
