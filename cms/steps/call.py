"""The call step: ``call/`` (whom to call, what to say) and ``call/log/`` (one tap after a call).

Two class-based views handed the ``CampaignPage`` by its ``RoutablePageMixin`` routes. The
script is filled by the same composer as the emails (``actions.outbox.compose.script_render``); the
outcome is written by ``actions.intake.call_outcome_log``.
"""

from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from actions import intake
from actions import selectors as action_selectors
from actions.calls import callbacks
from actions.calls import services as call_services
from actions.forms import CallMeForm
from actions.models import ActionKind, CallOutcome, VerifiedCallOutcome
from actions.outbox import compose

from .base import StepView
from .ladder import ladder_context


def logged_label(outcome) -> str:
    """What this supporter's last call to an office came to, self-reported or verified."""
    for choices in (CallOutcome, VerifiedCallOutcome):
        if outcome in choices.values:
            return choices(outcome).label
    return ""


def call_rows(page, *, script: str, supporter, progress) -> list[dict]:
    """One row per target to call: phone link, office state, personalised script, what this
    supporter logged and the calls logged so far by outcome."""
    totals = action_selectors.campaign_totals_by_target(campaign_id=page.campaign_id, kind=ActionKind.CALL)
    rows = []
    for target, ask in page.call_targets():
        spec = compose.TargetSpec(target=target, ask=ask)
        outcome = progress.outcomes.get(target.pk)
        target_totals = {key[1]: n for key, n in totals.items() if key[0] == target.pk}
        rows.append(
            {
                "target": target,
                "ask": ask,
                "tel": target.tel_href,
                "state": target.office_state(),
                "script": compose.script_render(template=script, spec=spec, supporter=supporter),
                "logged": logged_label(outcome),
                "calls": sum(target_totals.values()),
                "totals": [
                    (choice.label, target_totals.get(choice.value, 0))
                    for choice in [*CallOutcome, *VerifiedCallOutcome]
                ],
            }
        )
    return rows


class CallStepView(StepView):
    """``call/``: each target with a ``tel:`` link, the office state and the script; "Call me"
    when the campaign's call bridge is on (``actions.calls``)."""

    def get(self, request):
        return self.call_page_render()

    def call_page_render(self, *, status: int = 200, **extra):
        page, supporter = self.page, self.supporter
        block = page.step_block("call")
        ladder = ladder_context(page, supporter)
        script = block.value.get("script") if block else ""
        rows = call_rows(page, script=script, supporter=supporter, progress=ladder["progress"])
        call_me_offered = call_services.call_me_offered(page.campaign_id) and not page.is_closed
        return self.render(
            "cms/campaign_call.html",
            status=status,
            supporter=supporter,
            block=block,
            rows=rows,
            talking_points=list(block.value.get("talking_points") or []) if block else [],
            outcomes=CallOutcome.choices,
            logged=request_flag(self.request, "logged"),
            email_offered="email" in page.step_kinds,
            email_url=page.route_url("email"),
            call_me_offered=call_me_offered,
            call_me_url=page.route_url("call_me"),
            **(callback_context(page, rows, supporter) if call_me_offered else {}),
            **{"call_me_form": CallMeForm() if call_me_offered and supporter is None else None, **ladder, **extra},
        )


def callback_context(page, rows, supporter) -> dict:
    """Every office closed: "Call me when they open" (and the supporter's waiting request)."""
    opens_at = callbacks.callbacks_offered(page.campaign_id, [row["target"] for row in rows])
    waiting = callbacks.waiting_callback(campaign_id=page.campaign_id, supporter=supporter)
    return {
        "callback_label": next((row["state"].label for row in rows if row["state"].opens_at == opens_at), "")
        if opens_at
        else "",
        "callback_waiting": waiting,
        "callback_cancel_url": page.route_url("call_me_callback_cancel", callback_id=waiting.pk) if waiting else "",
    }


def request_flag(request, name: str) -> bool:
    return request.GET.get(name) == "1"


class CallLogView(StepView):
    """``call/log/``: one tap after the call. Over a rate limit the call is stored flagged and the
    answer is the same, so an abuser learns nothing."""

    http_method_names = ["post"]

    def post(self, request):
        page, supporter = self.page, self.supporter
        if page.is_closed:
            return HttpResponse(_("This campaign has closed."), status=409)
        if supporter is None:
            return self.redirect("sign")
        outcome = request.POST.get("outcome", "")
        target_ids = {target.pk for target, _ in page.call_targets()}
        try:
            target_id = int(request.POST.get("target", ""))
        except ValueError:
            target_id = None
        if outcome not in CallOutcome.values or target_id not in target_ids:
            return HttpResponse(_("Please choose one of the call outcomes shown."), status=400)
        intake.call_outcome_log(
            campaign_id=page.campaign_id,
            supporter=supporter,
            target_id=target_id,
            outcome=outcome,
            submission=self.submission(),
        )
        return HttpResponseRedirect(f"{page.route_url('call')}?logged=1#target-{target_id}", status=303)
