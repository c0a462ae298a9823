"""Signed one-click links from emails to supporters: ``go/<kind>/<payload>/<stamp>/<signature>/``.

A class-based view handed the ``CampaignPage`` (and the URL's parts) by its ``RoutablePageMixin``
route. A GET only describes what will happen and shows one button; only the POST acts, so a mail
scanner that follows the link does nothing. Bad links get the normal campaign page back.
Tokens are made and checked by ``actions.links``.
"""

from actions import intake
from actions import selectors as action_selectors
from actions.forms import SignForm
from actions.links import LINK_KINDS, LinkError, action_link_read
from actions.models import ActionKind
from actions.recognition import remember_supporter

from .base import StepView

ONE_CLICK_SOURCE = "one-click-link"

# Kinds whose link takes the action itself on POST; the rest open their step, recognised.
ONE_CLICK_ACTS = {ActionKind.SIGN}


class OneClickView(StepView):
    """``go/<kind>/...``: GET shows what the link will do, POST does it (or opens the step)."""

    http_method_names = ["get", "head", "post"]

    def dispatch(self, request, *args, **kwargs):
        """Read the link once, whichever allowed method; a bad one gets the friendly refusal."""
        if request.method.lower() in self.http_method_names:
            try:
                self.link_supporter = self.link_read(**kwargs)
            except LinkError as error:
                return self.link_refused(error.reason)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *, kind, **_token):
        supporter = self.link_supporter
        already = kind == ActionKind.SIGN and action_selectors.supporter_progress(
            campaign_id=self.page.campaign_id, supporter=supporter
        ).done(ActionKind.SIGN)
        return self.render(
            "cms/campaign_one_click.html",
            link_supporter=supporter,
            kind=kind,
            step=self.page.step_block(kind),
            already=already,
        )

    def post(self, request, *, kind, **_token):
        if self.page.is_closed and kind in ONE_CLICK_ACTS:
            return self.campaign_render(None, status=409)
        response = self.redirect(self.one_click_take(kind=kind), status=303)
        remember_supporter(request, response, self.link_supporter)
        return response

    def link_read(self, *, kind, payload, stamp, signature):
        """The supporter a link names; raises LinkError when it must be refused."""
        if kind not in LINK_KINDS:
            raise LinkError("invalid")
        token = f"{payload}:{stamp}:{signature}"  # see actions.links.action_link_url
        return action_link_read(token=token, kind=kind, campaign_id=self.page.campaign_id).supporter

    def one_click_take(self, *, kind: str) -> str:
        """Act for a confirmed one-click link and return the route to go to next.

        A signature needs nothing more from the supporter, so the POST signs (once per campaign,
        so a repeated POST changes nothing). The other steps need the supporter's own input (a
        call outcome, a channel, their words), so the link recognises them and opens that step
        with everything filled in. A step that can act in one click (say, sending the email the
        supporter already approved) adds its kind to ``ONE_CLICK_ACTS`` and a branch here.
        """
        if kind == ActionKind.SIGN:
            result = intake.signature_take(
                campaign_id=self.page.campaign_id,
                supporter=self.link_supporter,
                submission=self.submission(source=ONE_CLICK_SOURCE),
            )
            # The signed link came in our own email to them: the address is proven already.
            self.page.confirmation_request(self.request, result, proven=True)
            return "thanks"
        return kind  # each step's route is named by its kind

    def link_refused(self, reason: str):
        response = self.campaign_render(SignForm(consent_text=self.page.consent_text), status=400)
        response.context_data["link_problem"] = reason
        return response
