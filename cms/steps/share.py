"""The share step: ``share/`` (links to each service) and ``share/log/`` (which link was used).

Two class-based views handed the ``CampaignPage`` by its ``RoutablePageMixin`` routes; the log
is written by ``actions.intake.share_log``.
"""

from urllib.parse import quote, urlencode

from django.http import HttpResponse
from django.utils.translation import gettext as _

from actions import intake
from actions import selectors as action_selectors
from actions.models import ActionKind, ShareChannel

from .base import StepView
from .ladder import ladder_context


def share_links(request, page, supporter) -> dict:
    """The page's URL (with the supporter's referral code) and a link per service that opens it
    ready to send, so sharing works without JavaScript and without a redirect through us."""
    url = request.build_absolute_uri(page.url)
    if supporter is not None:
        url += "?" + urlencode({"ref": supporter.referral_code})
    text = page.share_text or f"{page.title}: {page.lede}"
    message = f"{text} {url}"
    return {
        "url": url,
        "channels": [
            ("email", _("Email"), "mailto:?" + urlencode({"subject": page.title, "body": message}, quote_via=quote)),
            ("sms", _("Text message"), "sms:?&body=" + quote(message)),
            ("whatsapp", "WhatsApp", "https://wa.me/?" + urlencode({"text": message})),
            ("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
            ("x", "X", "https://x.com/intent/tweet?" + urlencode({"text": text, "url": url})),
        ],
    }


class ShareStepView(StepView):
    """``share/``: the share links, the number of shares and this supporter's referrals."""

    def get(self, request):
        page, supporter = self.page, self.supporter
        referrals = (
            action_selectors.referral_counts(campaign_id=page.campaign_id, referrer_code=supporter.referral_code)
            if supporter
            else None
        )
        return self.render(
            "cms/campaign_share.html",
            supporter=supporter,
            share=share_links(request, page, supporter),
            block=page.step_block("share"),
            shares=page.counter()["totals"].get(ActionKind.SHARE, 0),
            referrals=referrals,
            **ladder_context(page, supporter),
        )


class ShareLogView(StepView):
    """``share/log/``: records that a share link was used (POST from a small script as the link
    opens). A best-effort count; a POST (CSRF-checked), so nothing a crawler or prefetcher
    fetches can record a share."""

    http_method_names = ["post"]

    def post(self, request):
        channel = request.POST.get("channel", "")
        if channel not in ShareChannel.values:
            return HttpResponse(_("Unknown share channel."), status=400)
        if self.supporter is not None and not self.page.is_closed:
            intake.share_log(
                campaign_id=self.page.campaign_id,
                supporter=self.supporter,
                channel=channel,
                submission=self.submission(),
            )
        return HttpResponse(status=204)
