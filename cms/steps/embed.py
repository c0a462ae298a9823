"""``embed/``: the campaign's action without the site's chrome, for a partner's page to frame.

``?partner=<code>`` names the partner (``partners.selectors.partner_for_embed``); an unknown
code gives the same embed without attribution. A frame on another site gets no cookie of ours,
so this view neither reads nor sets one: the form carries a signed, expiring token
(``partners.embed_token``) instead of the CSRF cookie (``partners.middleware`` lets the POST
past Django's CSRF check), and a missing, forged or expired token re-renders the form with the
supporter's input and a fresh token. Every response may be framed only by the partner's sites
(``partners.framing``). The signature goes through ``intake.signature_create`` like any other,
carrying the partner beside ``source`` and ``ref``.
"""

from django.utils.translation import gettext as _

from actions import intake
from actions.text import clean_ref, clean_source
from partners import selectors as partner_selectors
from partners.embed_token import FIELD, EmbedTokenError, embed_token_read
from partners.forms import EmbedSignForm
from partners.framing import embed_headers
from partners.models import Partner
from partners.services import partner_consent_record

from .base import StepView
from .ladder import ladder_context

TEMPLATE = "cms/campaign_embed.html"


class EmbedView(StepView):
    http_method_names = ["get", "head", "post"]
    partner = None

    def get(self, request):
        self.partner = partner_selectors.partner_for_embed(
            campaign_id=self.page.campaign_id, code=request.GET.get("partner", "")
        )
        initial = {"source": clean_source(request.GET.get("source", "")), "ref": clean_ref(request.GET.get("ref", ""))}
        return self.embed_render(self.form(initial=initial))

    def post(self, request):
        page = self.page
        try:
            self.partner = self.partner_from_token(request.POST.get(FIELD, ""))
        except EmbedTokenError:
            return self.token_refused(request)
        if page.is_closed:
            return self.embed_render(None, status=409)
        form = self.form(data=request.POST)
        if not form.is_valid():
            return self.embed_render(form, status=400)
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
                partner_id=self.partner.pk if self.partner else None,
            ),
            **form.signer(),
        )
        if form.partner_consented and not data["website"]:
            partner_consent_record(partner=self.partner, supporter=result.supporter, campaign_id=page.campaign_id)
        extra = ladder_context(page, result.supporter)
        extra["next_step_url"] = self.next_step_url(result.supporter, extra.get("next_step"))
        return self.embed_headers(
            self.render("cms/campaign_embed_thanks.html", supporter=result.supporter, counter=page.counter(), **extra)
        )

    def partner_from_token(self, token: str) -> Partner | None:
        partner_id = embed_token_read(token, campaign_id=self.page.campaign_id)
        if partner_id is None:
            return None
        return Partner.objects.filter(pk=partner_id, campaigns__id=self.page.campaign_id).first()

    def token_refused(self, request):
        """The form came back without a valid token (too old, or not ours): show it again, as
        typed, with a fresh token and a word on why; nothing is written."""
        data = request.POST.copy()
        data.pop(FIELD, None)
        form = self.form(data=data)
        form.data[FIELD] = form.fields[FIELD].initial
        notice = _(
            "This form was open for a long time, so we could not accept it yet. Please check it and send it again."
        )
        return self.embed_render(form, status=400, token_notice=notice)

    def form(self, **kwargs) -> EmbedSignForm:
        return EmbedSignForm(
            consent_text=self.page.consent_text, campaign_id=self.page.campaign_id, partner=self.partner, **kwargs
        )

    def next_step_url(self, supporter, next_step) -> str:
        """The next step opens in a new tab (where our cookie works) through a signed link."""
        if next_step is None:
            return ""
        return self.page.one_click_url(supporter=supporter, kind=next_step.block_type)

    def embed_render(self, form, *, status: int = 200, **extra):
        response = self.render(
            TEMPLATE, status=status, form=form, counter=self.page.counter(), partner=self.partner, **extra
        )
        return self.embed_headers(response)

    def embed_headers(self, response):
        return embed_headers(
            response, origins=partner_selectors.embed_origins(campaign_id=self.page.campaign_id, partner=self.partner)
        )
