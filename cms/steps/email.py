"""The "email the targets" step: ``email/`` (the messages and the form), ``email/sent/`` and
``email/report/`` (the supporter's word on a message sent through an office's web form).

Two class-based views handed the ``CampaignPage`` by its ``RoutablePageMixin`` routes. The
email action as plain values (``page.email_campaign``) goes to ``actions.outbox``, which
never imports ``cms``; all writes happen there (``actions.outbox.take.email_action_take``).
"""

from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils.translation import gettext as _

from actions import intake, placeholders
from actions import selectors as action_selectors
from actions.forms import EmailForm
from actions.outbox import channels, compose
from actions.outbox.take import email_action_take
from actions.recognition import remember_supporter

from .base import StepView
from .ladder import ladder_context

EMAIL_TEMPLATE = "actions/email_step.html"
SENT_TEMPLATE = "actions/email_sent.html"


def email_form(step, campaign, shown, supporter, data=None) -> EmailForm:
    value = step.value
    return EmailForm(
        data,
        targets=[spec.target for spec in campaign.targets],
        recognised=supporter is not None,
        editable=bool(value["supporters_may_edit"]),
        ask_note="personal_note" in placeholders.placeholders_in(value["body"]),
        min_length=value["min_body_length"] or 0,
        max_length=value["max_body_length"] or 5000,
        initial_texts={draft.target.pk: (draft.subject, draft.body) for draft in shown},
    )


def final_drafts(page, campaign, shown, form, supporter) -> list[compose.Draft]:
    """Each target's message with the supporter's real details.

    A message the supporter left as shown is rendered again from the campaign's template; an
    edited one is kept word for word, only our own bracketed hints replaced by their details.
    """
    real = page.email_drafts(campaign, supporter=supporter, personal_note=form.cleaned_data.get("personal_note", ""))
    edited = form.edited_texts()
    drafts = []
    for before, after in zip(shown, real, strict=True):
        if before.target.pk not in edited:
            drafts.append(after)
            continue
        subject, body = edited[before.target.pk]
        if subject != before.subject:
            subject = compose.supporter_subject_fill(subject, supporter=supporter)
        else:
            subject = after.subject
        if body != before.body:
            body = compose.supporter_text_fill(body, supporter=supporter)
        else:
            body = after.body
        drafts.append(compose.Draft(target=after.target, subject=subject, body=body))
    return drafts


class EmailStepView(StepView):
    """``email/``: each target's message, personalised, and the form that sends them."""

    http_method_names = ["get", "head", "post"]

    def get(self, request):
        if (sent := self.prepare()) is not None:
            return sent
        form = email_form(self.step, self.campaign, self.shown, self.supporter)
        return self.form_render(form, status=409 if self.page.is_closed else 200)

    def post(self, request):
        if (sent := self.prepare()) is not None:
            return sent
        campaign, shown = self.campaign, self.shown
        form = email_form(self.step, campaign, shown, self.supporter, data=request.POST)
        if self.page.is_closed:
            return self.form_render(form, status=409)
        if not form.is_valid():
            return self.form_render(form, status=400)
        data = form.cleaned_data
        supporter = self.supporter
        if supporter is None:
            supporter, _ = intake.supporter_get_or_create(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                city=data["city"],
                postal_code=data["postal_code"],
            )
        email_action_take(
            campaign=campaign,
            supporter=supporter,
            drafts=final_drafts(self.page, campaign, shown, form, supporter),
            submission=self.submission(honeypot=data.get("website", ""), source="email-step"),
        )
        response = self.redirect("email_sent")
        remember_supporter(request, response, supporter)
        return response

    def prepare(self):
        """Build the email action and each target's message as this supporter sees it before
        sending; or, once they have sent this campaign's emails, the redirect to what they sent."""
        page = self.page
        done = action_selectors.supporter_action_kinds(campaign_id=page.campaign_id, supporter=self.supporter)
        self.campaign = page.email_campaign(self.request, done=done)  # 404 when the campaign has no email step
        if "email" in done:
            return self.redirect("email_sent")
        self.step = page.email_step()
        self.shown = page.email_drafts(self.campaign, supporter=self.supporter)
        return None

    def form_render(self, form, *, status: int):
        return self.render(
            EMAIL_TEMPLATE,
            status=status,
            step=self.step,
            form=form,
            drafts=self.shown,
            supporter=self.supporter,
            counter=self.page.counter(),
        )


class EmailSentView(StepView):
    """``email/sent/``: per target what really happened, the office's form or a mailto link where
    the supporter sends it themselves, then the next step."""

    def get(self, request):
        page, supporter = self.page, self.supporter
        done = action_selectors.supporter_action_kinds(campaign_id=page.campaign_id, supporter=supporter)
        if "email" not in done:
            return self.redirect("email")
        messages = action_selectors.supporter_email_messages(campaign_id=page.campaign_id, supporter=supporter)
        rows = [
            {"message": message, "outcome": channels.outcome_text(message), "mailto": compose.mailto_link(message)}
            for message in messages
        ]
        # The ladder decides the next step and its URL, as on the call and share steps, so the
        # "Next" button leads to that step rather than back to the campaign page.
        return self.render(
            SENT_TEMPLATE, supporter=supporter, rows=rows, counter=page.counter(), **ladder_context(page, supporter)
        )


class EmailReportView(StepView):
    """``email/report/`` (POST): the supporter's word on a message they were to send through the
    office's web form: "I sent it" or "I couldn't". Recorded as self-reported, never as verified."""

    http_method_names = ["post"]
    ANSWERS = {"sent": True, "couldnt": False}

    def post(self, request):
        if self.supporter is None:
            return self.redirect("email")
        answer = request.POST.get("answer", "")
        try:
            message_id = int(request.POST.get("message", ""))
        except ValueError:
            message_id = None
        if answer not in self.ANSWERS or message_id is None:
            return HttpResponseBadRequest(_("Please use one of the two buttons shown."))
        found = channels.form_message_report(
            message_id=message_id,
            campaign_id=self.page.campaign_id,
            supporter_id=self.supporter.pk,
            sent=self.ANSWERS[answer],
        )
        if not found:
            return HttpResponseBadRequest(_("That message is not one of yours on this campaign."))
        return HttpResponseRedirect(f"{self.page.route_url('email_sent')}#message-{message_id}", status=303)
