"""Campaign page routes for the steps after signing: call, share, one-click links, the ladder.

``RoutablePageMixin`` finds every method decorated with ``@path`` on the page class, including
those inherited from this mixin, and serves it at ``<page URL><route>``. The mixin binds input,
calls ``actions`` services and renders; it holds no business rules of its own.
"""

import re
from urllib.parse import quote, urlencode

from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from wagtail.contrib.routable_page.models import path

from actions import intake
from actions import selectors as action_selectors
from actions.forms import SignForm
from actions.links import LINK_KINDS, LinkError, action_link_read, action_link_url
from actions.models import ActionKind, CallOutcome, ShareChannel
from actions.placeholders import render as render_placeholders
from actions.recognition import (
    address_hash,
    client_address,
    forget_supporter,
    remember_supporter,
    supporter_from_request,
)
from actions.text import clean_line

# Where each step of the ladder lives, relative to the campaign page. ``email/`` is served by the
# email step's own routes.
STEP_ROUTES = {"sign": "", "email": "email/", "call": "call/", "share": "share/"}
ONE_CLICK_SOURCE = "one-click-link"
_REF = re.compile(r"[^A-Za-z0-9_-]")


def clean_ref(value: str) -> str:
    return _REF.sub("", value or "")[:16]


def clean_source(value: str) -> str:
    """Where a signature came from, as the petition form cleans it: one line (no NUL, which
    PostgreSQL refuses in text), at most 64 characters."""
    return clean_line(value)[:64]


def tel_href(phone: str) -> str:
    """'(408) 299-7400' -> 'tel:4082997400'; keeps a leading + for international numbers."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    return f"tel:{digits[0]}{digits[1:].replace('+', '')}" if digits else ""


class CampaignStepRoutesMixin:
    """Call, share, one-click sign, signed email links and "Not you?" for ``CampaignPage``."""

    # --- Helpers other code may call -----------------------------------------------------------

    def one_click_url(self, *, supporter, kind: str) -> str:
        """A signed, expiring link for an email to this supporter: it opens a page showing what
        will happen and one button. For the thank-you email and any other supporter email."""
        return action_link_url(campaign_url=self.full_url, kind=kind, campaign_id=self.pk, supporter=supporter)

    def step_url(self, kind: str) -> str:
        return self.url + STEP_ROUTES.get(kind, "")

    def step_block(self, kind: str):
        return next((block for block in self.action_steps if block.block_type == kind), None)

    def call_targets(self) -> list[tuple]:
        """(target, ask) pairs to call: the call step's own choice, else every campaign target."""
        asks = {ct.target_id: (ct.target, ct.ask) for ct in self.campaign_targets.select_related("target")}
        block = self.step_block("call")
        chosen = [target for target in (block.value.get("targets") or [] if block else []) if target is not None]
        if not chosen:
            return list(asks.values())
        return [(target, asks.get(target.pk, (target, ""))[1]) for target in chosen]

    def ladder_context(self, request, supporter) -> dict:
        """The ladder: every configured step with its done state, and the next one to offer.

        A step is done when the supporter did it; the call step only when every call target has
        a logged call (a skip counts, so nobody is asked about the same office twice).
        """
        progress = action_selectors.supporter_progress(campaign_id=self.pk, supporter=supporter)
        call_ids = [target.pk for target, _ in self.call_targets()] if "call" in self.step_kinds else []
        done = set(progress.kinds)
        if not progress.done_for_all(ActionKind.CALL, call_ids):
            done.discard(ActionKind.CALL)
        steps = [
            {
                "kind": block.block_type,
                "heading": block.value.get("heading"),
                "url": self.step_url(block.block_type),
                "done": block.block_type in done,
            }
            for block in self.action_steps
        ]
        next_step = self.next_step(done)
        return {
            "progress": progress,
            "done": done,
            "ladder": steps,
            "next_step": next_step,
            "next_step_url": self.step_url(next_step.block_type) if next_step else "",
        }

    def referral_visit_note(self, request) -> None:
        """Attribute a visit that arrived through a share link (``?ref=``) to its referrer."""
        ref = clean_ref(request.GET.get("ref", ""))
        if not ref:
            return
        supporter = supporter_from_request(request)
        if supporter is not None and supporter.referral_code == ref:
            return  # opening your own share link is not a referral
        visitor = address_hash(client_address(request)) or request.META.get("HTTP_USER_AGENT", "")[:64]
        intake.referral_visit_record(campaign_id=self.pk, referrer_code=ref, visitor_key=visitor)

    def _render(self, request, template, status=200, **extra):
        context = self.get_context(request)
        context.update(extra)
        return TemplateResponse(request, template, context, status=status)

    # --- Recognised supporters: one-button sign and "Not you?" --------------------------------

    @path("sign/")
    def sign_recognised(self, request):
        """The one-button signature for a supporter this browser recognises."""
        if request.method != "POST":
            return HttpResponseRedirect(self.url)
        supporter = supporter_from_request(request)
        if supporter is None:
            return HttpResponseRedirect(self.url)  # the full form
        if self.is_closed:
            return self.render_campaign(request, None, status=409)
        consent = request.POST.get("consent") == "on"
        intake.signature_take(
            campaign_id=self.pk,
            supporter=supporter,
            consent=consent,
            consent_text=self.consent_text,
            submission=intake.Submission(
                ip_hash=address_hash(client_address(request)),
                source=clean_source(request.POST.get("source", "")),
                referrer_code=clean_ref(request.POST.get("ref", "")),
            ),
        )
        return HttpResponseRedirect(self.url + self.reverse_subpage("thanks"))

    @path("forget/")
    def forget(self, request):
        """ "Not you?": this browser stops recognising the supporter. Only clears our own cookie,
        so a GET link is harmless."""
        response = HttpResponseRedirect(self.url)
        forget_supporter(response)
        return response

    # --- Call -----------------------------------------------------------------------------------

    @path("call/")
    def call(self, request):
        supporter = supporter_from_request(request)
        block = self.step_block("call")
        script = block.value.get("script") if block else ""
        talking_points = list(block.value.get("talking_points") or []) if block else []
        totals = action_selectors.campaign_totals_by_target(campaign_id=self.pk, kind=ActionKind.CALL)
        ladder = self.ladder_context(request, supporter)
        progress = ladder["progress"]
        rows = []
        for target, ask in self.call_targets():
            values = {
                "target_name": target.name,
                "target_title": target.title,
                "salutation": target.salutation,
                "ask": ask,
                "first_name": supporter.first_name if supporter else "[your name]",
                "last_name": supporter.last_name if supporter else "",
                "full_name": supporter.full_name if supporter else "[your name]",
                "city": (supporter.city or "[your city]") if supporter else "[your city]",
                "postal_code": supporter.postal_code if supporter else "",
                "personal_note": "",
            }
            outcome = progress.outcomes.get(target.pk)
            target_totals = {key[1]: n for key, n in totals.items() if key[0] == target.pk}
            rows.append(
                {
                    "target": target,
                    "ask": ask,
                    "tel": tel_href(target.phone),
                    "state": target.office_state(),
                    "script": render_placeholders(script, values),
                    "logged": CallOutcome(outcome).label if outcome in CallOutcome.values else "",
                    "calls": sum(target_totals.values()),
                    "totals": [(choice.label, target_totals.get(choice.value, 0)) for choice in CallOutcome],
                }
            )
        return self._render(
            request,
            "cms/campaign_call.html",
            supporter=supporter,
            block=block,
            rows=rows,
            talking_points=talking_points,
            outcomes=CallOutcome.choices,
            logged=request.GET.get("logged") == "1",
            email_offered="email" in self.step_kinds,
            email_url=self.step_url("email"),
            **ladder,
        )

    @path("call/log/")
    def call_log(self, request):
        """One tap after the call. Over a rate limit the call is stored flagged and the answer is
        the same, so an abuser learns nothing."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if self.is_closed:
            return HttpResponse("This campaign has closed.", status=409)
        supporter = supporter_from_request(request)
        if supporter is None:
            return HttpResponseRedirect(self.url)
        outcome = request.POST.get("outcome", "")
        target_ids = {target.pk for target, _ in self.call_targets()}
        try:
            target_id = int(request.POST.get("target", ""))
        except ValueError:
            target_id = None
        if outcome not in CallOutcome.values or target_id not in target_ids:
            return HttpResponse("Please choose one of the call outcomes shown.", status=400)
        intake.call_outcome_log(
            campaign_id=self.pk,
            supporter=supporter,
            target_id=target_id,
            outcome=outcome,
            submission=intake.Submission(ip_hash=address_hash(client_address(request))),
        )
        return HttpResponseRedirect(f"{self.url}call/?logged=1#target-{target_id}", status=303)

    # --- Share ----------------------------------------------------------------------------------

    def share_links(self, request, supporter) -> dict:
        url = request.build_absolute_uri(self.url)
        if supporter is not None:
            url += "?" + urlencode({"ref": supporter.referral_code})
        text = self.share_text or f"{self.title}: {self.lede}"
        message = f"{text} {url}"
        return {
            "url": url,
            "channels": [
                ("email", "Email", "mailto:?" + urlencode({"subject": self.title, "body": message}, quote_via=quote)),
                ("sms", "Text message", "sms:?&body=" + quote(message)),
                ("whatsapp", "WhatsApp", "https://wa.me/?" + urlencode({"text": message})),
                ("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
                ("x", "X", "https://x.com/intent/tweet?" + urlencode({"text": text, "url": url})),
            ],
        }

    @path("share/")
    def share(self, request):
        supporter = supporter_from_request(request)
        referrals = (
            action_selectors.referral_counts(campaign_id=self.pk, referrer_code=supporter.referral_code)
            if supporter
            else None
        )
        return self._render(
            request,
            "cms/campaign_share.html",
            supporter=supporter,
            share=self.share_links(request, supporter),
            block=self.step_block("share"),
            shares=self.counter()["totals"].get(ActionKind.SHARE, 0),
            referrals=referrals,
            **self.ladder_context(request, supporter),
        )

    @path("share/log/")
    def share_log(self, request):
        """Records that a share link was used (POST from a small script as the link opens).

        The share links themselves point straight at each service, so sharing works without
        JavaScript and without a redirect through us; the log is a best-effort count. It is a
        POST (CSRF-checked) so nothing a crawler or prefetcher fetches can record a share.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        supporter = supporter_from_request(request)
        channel = request.POST.get("channel", "")
        if channel not in ShareChannel.values:
            return HttpResponse("Unknown share channel.", status=400)
        if supporter is not None and not self.is_closed:
            intake.share_log(
                campaign_id=self.pk,
                supporter=supporter,
                channel=channel,
                submission=intake.Submission(ip_hash=address_hash(client_address(request))),
            )
        return HttpResponse(status=204)

    # --- Signed one-click links from emails -----------------------------------------------------

    @path("go/<str:kind>/<str:payload>/<str:stamp>/<str:signature>/")
    def one_click(self, request, kind, payload, stamp, signature):
        """A GET only describes what will happen and shows one button; only the POST acts, so a
        mail scanner that follows the link does nothing. Bad links get the normal page back."""
        if kind not in LINK_KINDS:
            return self._link_refused(request, "invalid")
        token = f"{payload}:{stamp}:{signature}"  # see actions.links.action_link_url
        try:
            link = action_link_read(token=token, kind=kind, campaign_id=self.pk)
        except LinkError as error:
            return self._link_refused(request, error.reason)
        supporter = link.supporter
        already = kind == ActionKind.SIGN and action_selectors.supporter_progress(
            campaign_id=self.pk, supporter=supporter
        ).done(ActionKind.SIGN)
        if request.method != "POST":
            return self._render(
                request,
                "cms/campaign_one_click.html",
                link_supporter=supporter,
                kind=kind,
                step=self.step_block(kind),
                already=already,
            )
        if self.is_closed and kind in self.ONE_CLICK_ACTS:
            return self.render_campaign(request, None, status=409)
        destination = self.one_click_take(request, kind=kind, supporter=supporter)
        response = HttpResponseRedirect(destination, status=303)
        remember_supporter(request, response, supporter)
        return response

    # Kinds whose link takes the action itself on POST; the rest open their step, recognised.
    ONE_CLICK_ACTS = {ActionKind.SIGN}

    def one_click_take(self, request, *, kind: str, supporter) -> str:
        """Act for a confirmed one-click link and return where to go next.

        A signature needs nothing more from the supporter, so the POST signs (once per campaign,
        so a repeated POST changes nothing). The other steps need the supporter's own input (a
        call outcome, a channel, their words), so the link recognises them and opens that step
        with everything filled in. A step that can act in one click (say, sending the email the
        supporter already approved) adds its kind to ``ONE_CLICK_ACTS`` and a branch here.
        """
        if kind == ActionKind.SIGN:
            intake.signature_take(
                campaign_id=self.pk,
                supporter=supporter,
                submission=intake.Submission(ip_hash=address_hash(client_address(request)), source=ONE_CLICK_SOURCE),
            )
            return self.url + self.reverse_subpage("thanks")
        return self.step_url(kind)

    def _link_refused(self, request, reason):
        response = self.render_campaign(request, SignForm(consent_text=self.consent_text), status=400)
        response.context_data["link_problem"] = reason
        return response
