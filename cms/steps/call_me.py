""" "Call me" on the call step: ``call/me/`` (POST a phone number) and ``call/me/<session>/`` (the
session's state as a page, and as JSON for the live view).

The bridge itself is ``actions.calls``: these views bind the number, build each office's script
with the same composer as the call page, and hand them to ``call_session_start``.
"""

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from actions import intake, phones
from actions.calls import callbacks
from actions.calls import services as call_services
from actions.calls.models import CallLeg, CallSession, CallState
from actions.calls.twilio_api import CallProviderError
from actions.calls.webhook_urls import webhook_url
from actions.forms import CallMeForm
from actions.outbox import compose
from actions.recognition import remember_supporter

from .base import StepView
from .call import CallStepView

# Twilio's text-to-speech wants a language and region; a page's locale may give only a language.
SPEECH_LANGUAGES = {"en": "en-US", "es": "es-US", "fr": "fr-FR", "de": "de-DE", "pt": "pt-BR", "km": "en-US"}


def speech_language(code: str) -> str:
    code = (code or "en").replace("_", "-")
    if "-" in code:
        language, region = code.split("-", 1)
        return f"{language.lower()}-{region.upper()}"
    return SPEECH_LANGUAGES.get(code.lower(), "en-US")


def leg_specs(page, supporter) -> list[call_services.LegSpec]:
    block = page.step_block("call")
    script = block.value.get("script") if block else ""
    return [
        call_services.LegSpec(
            target=target,
            script=compose.script_render(
                template=script, spec=compose.TargetSpec(target=target, ask=ask), supporter=supporter
            ),
        )
        for target, ask in page.call_targets()
    ]


class CallMeView(CallStepView):
    """``call/me/``: ring the supporter's phone. Someone not recognised yet gives their name, email
    and ZIP on the same form. A refused number is answered next to the field."""

    http_method_names = ["post"]

    def post(self, request):
        page = self.page
        if page.is_closed:
            return HttpResponse(_("This campaign has closed."), status=409)
        if not call_services.call_me_offered(page.campaign_id):
            raise Http404
        phone = request.POST.get("phone", "")[:40]
        supporter, form, stored = self.supporter, None, []
        if supporter is None:
            form, refused = self.stranger_identify(phone)
            if refused is not None:
                return refused
            data = form.cleaned_data

            def supporter():
                # Called by the service only once the number has passed every check (rate
                # limits, blocked numbers, calls today): a refused stranger is not stored.
                found, _created = intake.supporter_get_or_create(
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    postal_code=data["postal_code"],
                )
                stored.append(found)
                return found

        if request.POST.get("later") == "1":
            response = self.callback_schedule(phone, supporter, form)
        else:
            response = self.session_start(phone, supporter, form)
        if stored and response.status_code == 303:
            remember_supporter(request, response, stored[0])
        return response

    def stranger_identify(self, phone: str) -> tuple[CallMeForm, HttpResponse | None]:
        """Someone the site does not recognise gives their name, email and ZIP, as on the email
        step; every error (the number's too) is shown by its field before anything is stored."""
        form = CallMeForm(self.request.POST)
        phone_error = ""
        try:
            phones.phone_parse(phone)
        except phones.PhoneError as error:
            phone_error = str(error)
        if form.is_valid() and not phone_error:
            return form, None
        refused = self.call_page_render(status=400, call_me_form=form, call_me_error=phone_error, call_me_phone=phone)
        return form, refused

    def session_start(self, phone: str, supporter, form):
        request, page = self.request, self.page
        try:
            session = call_services.call_session_start(
                campaign_id=page.campaign_id,
                supporter=supporter,
                phone=phone,
                legs=lambda found: leg_specs(page, found),
                language=speech_language(page.locale.language_code),
                ip_hash=self.submission().ip_hash,
                url_for=lambda session, name: webhook_url(request, session, name),
            )
        except call_services.CallRefused as error:
            return self.refused_render(str(error), phone, form, status=400)
        except CallProviderError:
            message = _(
                "We could not reach our phone service just now, so nothing was set up. "
                "Please try again in a few minutes, or call the numbers below yourself."
            )
            return self.refused_render(message, phone, form, status=503)
        return self.redirect("call_me_state", status=303, session_id=session.pk)

    def refused_render(self, message: str, phone: str, form, *, status: int):
        """The call page again, the reason next to the number (and a stranger's details kept)."""
        extra = {"call_me_form": form} if form is not None else {}
        return self.call_page_render(status=status, call_me_error=message, call_me_phone=phone, **extra)

    def callback_schedule(self, phone: str, supporter, form):
        page = self.page
        try:
            callbacks.callback_schedule(
                campaign_id=page.campaign_id,
                supporter=supporter,
                phone=phone,
                legs=lambda found: leg_specs(page, found),
                language=speech_language(page.locale.language_code),
                ip_hash=self.submission().ip_hash,
            )
        except call_services.CallRefused as error:
            return self.refused_render(str(error), phone, form, status=400)
        return self.redirect("call", status=303)


class CallbackCancelView(StepView):
    """``call/me/callback/<id>/cancel/``: the supporter no longer wants the call."""

    http_method_names = ["post"]

    def post(self, request, callback_id):
        if self.supporter is None:
            raise Http404
        callbacks.callback_cancel(callback_id=callback_id, supporter=self.supporter)
        return self.redirect("call", status=303)


def session_status(session: CallSession) -> dict:
    """What the supporter reads about their session right now."""
    legs = list(CallLeg.objects.filter(session=session).order_by("position").values_list("position", "target_name"))
    names = dict(legs)
    current, following = names.get(session.position, ""), names.get(session.position + 1, "")
    labels = {
        CallState.REQUESTED: _("Calling your phone…"),
        CallState.RINGING: _("Ringing your phone…"),
        CallState.IN_PROGRESS: _("Connected. Listen for the first script."),
        CallState.CONNECTED: _("Connected to %(name)s's office") % {"name": current},
        CallState.COMPLETED: _("All done. Thank you for calling!"),
        CallState.NO_ANSWER: _("Your phone did not answer. You can ask us to call again."),
        CallState.FAILED: _("The call could not be completed."),
    }
    upcoming = following if session.state == CallState.CONNECTED else ""
    if session.state in (CallState.REQUESTED, CallState.RINGING, CallState.IN_PROGRESS):
        upcoming = names.get(0, "")
    return {
        "state": session.state,
        "label": labels[session.state],
        "next": _("Next: %(name)s") % {"name": upcoming} if upcoming else "",
        "over": session.is_over,
    }


class CallMeStateView(StepView):
    """``call/me/<session>/``: the state of the supporter's own session (page, or JSON with
    ``?format=json`` for the live view). Only the supporter who asked can see it."""

    def get(self, request, session_id):
        supporter = self.supporter
        session = CallSession.objects.filter(pk=session_id, campaign_id=self.page.campaign_id).first()
        if session is None or supporter is None or session.supporter_id != supporter.pk:
            raise Http404
        state = session_status(session)
        if request.GET.get("format") == "json":
            return JsonResponse(state, headers={"Cache-Control": "no-store"})
        return self.render(
            "cms/campaign_call_me.html", supporter=supporter, call_state=state, call_url=self.page.route_url("call")
        )
