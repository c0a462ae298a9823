"""The "email the targets" routes of a campaign page: ``email/`` and ``email/sent/``.

A mixin so that ``CampaignPage`` stays readable: ``RoutablePageMixin`` collects every ``@path``
method along the class's MRO, so routes defined here are served by the page like its own.
The page only binds the form and calls ``actions.messaging``; all writes happen there.
"""

from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from wagtail.contrib.routable_page.models import path

from actions import intake, placeholders
from actions import selectors as action_selectors
from actions.forms import EmailForm
from actions.models import OutboundMessage, Target
from actions.outbox import compose
from actions.outbox.take import email_action_take
from actions.recognition import address_hash, client_address, remember_supporter, supporter_from_request

EMAIL_TEMPLATE = "actions/email_step.html"
SENT_TEMPLATE = "actions/email_sent.html"


class EmailRoutesMixin:
    # --- Reads --------------------------------------------------------------------------------

    def email_step(self):
        """The campaign's "email the targets" block, or None when it offers no email action."""
        for block in self.action_steps:
            if block.block_type == "email":
                return block
        return None

    def email_campaign(self, request=None, *, done=frozenset()) -> compose.EmailCampaign:
        """The email action as plain values for ``actions.messaging`` (which never imports cms)."""
        step = self.email_step()
        if step is None:
            raise Http404("This campaign has no email action")
        value = step.value
        chosen = {target.pk for target in value.get("targets") or [] if target is not None}
        specs = [
            compose.TargetSpec(target=ct.target, ask=ct.ask)
            for ct in self.campaign_targets.select_related("target")
            if (not chosen or ct.target_id in chosen) and ct.target.delivery != Target.Delivery.NONE
        ]
        page_url = request.build_absolute_uri(self.url) if request is not None else (self.full_url or "")
        following = self.next_step(set(done) | {"email"})
        return compose.EmailCampaign(
            campaign_id=self.pk,
            title=self.title,
            sender_name=self.sender_name,
            subject_template=value["subject"],
            body_template=value["body"],
            targets=specs,
            page_url=page_url,
            next_step_heading=following.value["heading"] if following else "",
            next_step_url=page_url if following else "",
        )

    def email_drafts(self, campaign: compose.EmailCampaign, *, supporter=None, personal_note="", hints=True):
        values = compose.supporter_values(supporter=supporter, personal_note=personal_note, hints=hints)
        return [compose.message_render(campaign=campaign, spec=spec, values=values) for spec in campaign.targets]

    # --- Routes -------------------------------------------------------------------------------

    @path("email/")
    def email(self, request):
        step = self.email_step()
        if step is None:
            raise Http404("This campaign has no email action")
        supporter = supporter_from_request(request)
        done = action_selectors.supporter_action_kinds(campaign_id=self.pk, supporter=supporter)
        if "email" in done:
            return HttpResponseRedirect(self.url + self.reverse_subpage("email_sent"))
        campaign = self.email_campaign(request, done=done)
        shown = self.email_drafts(campaign, supporter=supporter)
        form = self._email_form(
            step, campaign, shown, supporter, data=request.POST if request.method == "POST" else None
        )
        if self.is_closed:
            return self._render_email(request, step, form, shown, supporter, status=409)
        if request.method != "POST":
            return self._render_email(request, step, form, shown, supporter)
        if not form.is_valid():
            return self._render_email(request, step, form, shown, supporter, status=400)
        data = form.cleaned_data
        if supporter is None:
            supporter, _ = intake.supporter_get_or_create(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                city=data["city"],
                postal_code=data["postal_code"],
            )
        drafts = self._final_drafts(campaign, shown, form, supporter)
        email_action_take(
            campaign=campaign,
            supporter=supporter,
            drafts=drafts,
            submission=intake.Submission(
                ip_hash=address_hash(client_address(request)), honeypot=data.get("website", ""), source="email-step"
            ),
        )
        response = HttpResponseRedirect(self.url + self.reverse_subpage("email_sent"))
        remember_supporter(request, response, supporter)
        return response

    @path("email/sent/", name="email_sent")
    def email_sent(self, request):
        supporter = supporter_from_request(request)
        messages = action_selectors.supporter_email_messages(campaign_id=self.pk, supporter=supporter)
        done = action_selectors.supporter_action_kinds(campaign_id=self.pk, supporter=supporter)
        if "email" not in done:
            return HttpResponseRedirect(self.url + self.reverse_subpage("email"))
        rows = [
            {
                "message": message,
                "mailto": compose.mailto_link(message) if message.status == OutboundMessage.Status.MAILTO else "",
            }
            for message in messages
        ]
        context = self.get_context(request)
        # The ladder decides the next step and its URL, as on the call and share steps, so the
        # "Next" button leads to that step rather than back to the campaign page.
        context.update(self.ladder_context(request, supporter))
        context.update(supporter=supporter, rows=rows, counter=self.counter())
        return TemplateResponse(request, SENT_TEMPLATE, context)

    # --- Helpers ------------------------------------------------------------------------------

    def _email_form(self, step, campaign, shown, supporter, data=None):
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

    def _final_drafts(self, campaign, shown, form, supporter):
        """Each target's message with the supporter's real details.

        A message the supporter left as shown is rendered again from the campaign's template; an
        edited one is kept word for word, only our own bracketed hints replaced by their details.
        """
        real = self.email_drafts(
            campaign, supporter=supporter, personal_note=form.cleaned_data.get("personal_note", "")
        )
        edited = form.edited_texts()
        drafts = []
        for before, after in zip(shown, real, strict=True):
            if before.target.pk not in edited:
                drafts.append(after)
                continue
            subject, body = edited[before.target.pk]
            if subject != before.subject:
                after = compose.Draft(
                    target=after.target,
                    subject=compose.supporter_subject_fill(subject, supporter=supporter),
                    body=after.body,
                )
            if body != before.body:
                after = compose.Draft(
                    target=after.target,
                    subject=after.subject,
                    body=compose.supporter_text_fill(body, supporter=supporter),
                )
            drafts.append(after)
        return drafts

    def _render_email(self, request, step, form, shown, supporter, status=200):
        context = self.get_context(request)
        context.update(step=step, form=form, drafts=shown, supporter=supporter, counter=self.counter())
        return TemplateResponse(request, EMAIL_TEMPLATE, context, status=status)
