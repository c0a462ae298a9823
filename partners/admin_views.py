"""Admin: the embed snippet of one partner for each campaign it may embed."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from .embed_code import embed_snippet, embed_url
from .models import Partner

PERMISSIONS = ("partners.view_partner",)


def partner_embed_code(request, pk: int):
    if not request.user.has_perms(PERMISSIONS):
        return TemplateResponse(request, "reports/forbidden.html", status=403)
    partner = get_object_or_404(Partner, pk=pk)
    site_root = request.build_absolute_uri("/")
    snippets = []
    for campaign in partner.campaigns.live().specific().order_by("title"):
        campaign_url = campaign.get_full_url(request) or request.build_absolute_uri(campaign.url or "/")
        snippets.append(
            {
                "campaign": campaign,
                "url": embed_url(campaign_url=campaign_url, partner_code=partner.code),
                "code": embed_snippet(
                    campaign_url=campaign_url,
                    campaign_title=campaign.title,
                    partner_code=partner.code,
                    site_root=site_root,
                ),
            }
        )
    return TemplateResponse(
        request,
        "partners/embed_code.html",
        {
            "partner": partner,
            "snippets": snippets,
            "origins": partner.origins,
            "edit_url": reverse("wagtailsnippets_partners_partner:edit", args=[partner.pk]),
        },
    )
