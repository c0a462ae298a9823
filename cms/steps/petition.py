"""The petition: the campaign page with its sign form, ``thanks/``, the recognised supporter's
one-button ``sign/``, and "Not you?" (``forget/``).

Wagtail's ``RoutablePageMixin`` serves the page itself (route ``""``) and these sub-URLs; each
route on ``CampaignPage`` hands the page to one view here. As in Wagtail's ``FormMixin.serve``,
a POST binds the form, validates it, calls the service and redirects; errors re-render the page.
"""

from actions import intake, referrals
from actions.forms import SignForm
from actions.recognition import forget_supporter, remember_supporter
from actions.text import clean_ref, clean_source

from .. import page_cache
from .base import StepView
from .ladder import ladder_context


class CampaignPageView(StepView):
    """The campaign page (GET) and its sign form (POST)."""

    http_method_names = ["get", "head", "post"]

    def get(self, request):
        self.referral_visit_note()
        if page_cache.is_cacheable_request(request):
            return self.cacheable_render()
        initial = {"source": clean_source(request.GET.get("source", "")), "ref": clean_ref(request.GET.get("ref", ""))}
        return self.campaign_render(SignForm(consent_text=self.page.consent_text, initial=initial))

    def post(self, request):
        page = self.page
        if page.is_closed:
            return self.campaign_render(None, status=409)
        form = SignForm(request.POST, consent_text=page.consent_text)
        if not form.is_valid():
            return self.campaign_render(form, status=400)
        data = form.cleaned_data
        result = intake.signature_create(
            campaign_id=page.campaign_id,
            consent_text=page.consent_text,
            submission=self.submission(
                honeypot=data["website"],
                started=data["started"],
                source=data["source"],
                referrer_code=data["ref"],
                signer_name=form.signer_name,
            ),
            **form.signer(),
        )
        page.confirmation_request(request, result)
        response = self.redirect("thanks")
        remember_supporter(request, response, result.supporter)
        return response

    def cacheable_render(self):
        """The page as every first-time visitor sees it, with placeholders for the per-visitor
        tokens (see ``cms.page_cache``)."""
        form = SignForm(consent_text=self.page.consent_text)
        form.fields["started"].initial = page_cache.STARTED_PLACEHOLDER
        response = self.render(
            self.page.get_template(self.request),
            form=form,
            counter=self.page.counter(),
            supporter=None,
            csrf_token=page_cache.CSRF_PLACEHOLDER,
        )
        return page_cache.render_cacheable(self.request, response)

    def referral_visit_note(self) -> None:
        """Attribute a visit that arrived through a share link (``?ref=``) to its referrer."""
        ref = clean_ref(self.request.GET.get("ref", ""))
        if not ref:
            return
        if self.supporter is not None and self.supporter.referral_code == ref:
            return  # opening your own share link is not a referral
        visitor = self.submission().ip_hash or self.request.META.get("HTTP_USER_AGENT", "")[:64]
        referrals.referral_visit_record(campaign_id=self.page.campaign_id, referrer_code=ref, visitor_key=visitor)


class ThanksView(StepView):
    """``thanks/``: the count, and the next step for a recognised supporter."""

    template = "cms/campaign_thanks.html"

    def get(self, request):
        supporter = self.supporter
        context = ladder_context(self.page, supporter)
        html = None
        if supporter is not None and page_cache.personal_cache_on(request):
            # Every supporter who has done the same steps sees the same page but for their name:
            # it is rendered once per interval with a placeholder for the name (cms.page_cache).
            variant = "thanks\n" + ",".join(sorted(context["done"]))
            html = page_cache.shared_html(request, variant, lambda: self.shared_render(context))
        if html is None:
            response = self.render(self.template, supporter=supporter, counter=self.page.counter(), **context)
        else:
            response = page_cache.personal_respond(request, html, first_name=supporter.first_name)
        if supporter is not None:
            # Personal: a proxy or CDN between us and the supporter must never keep it for another.
            response["Cache-Control"] = "private, no-cache"
        return response

    def shared_render(self, context) -> str | None:
        response = self.render(
            self.template,
            supporter={"first_name": page_cache.NAME_PLACEHOLDER},
            counter=self.page.counter(),
            csrf_token=page_cache.CSRF_PLACEHOLDER,
            **context,
        )
        response.render()
        return response.content.decode() if response.status_code == 200 else None


class SignOneButtonView(StepView):
    """``sign/``: the one-button signature for a supporter this browser recognises.

    A GET (someone opening the form's address) goes back to the page, as does an unknown browser
    (it gets the full form there).
    """

    http_method_names = ["get", "head", "post"]

    def get(self, request):
        return self.redirect("sign")

    def post(self, request):
        page, supporter = self.page, self.supporter
        if supporter is None:
            return self.redirect("sign")
        if page.is_closed:
            return self.campaign_render(None, status=409)
        result = intake.signature_take(
            campaign_id=page.campaign_id,
            supporter=supporter,
            consent=request.POST.get("consent") == "on",
            consent_text=page.consent_text,
            submission=self.submission(
                source=clean_source(request.POST.get("source", "")),
                referrer_code=clean_ref(request.POST.get("ref", "")),
            ),
        )
        page.confirmation_request(request, result)
        return self.redirect("thanks")


class ForgetView(StepView):
    """ "Not you?": this browser stops recognising the supporter. It only clears our own cookie,
    so a plain GET link is harmless."""

    http_method_names = ["get", "head", "post"]

    def get(self, request):
        response = self.redirect("sign")
        forget_supporter(response)
        return response

    post = get
