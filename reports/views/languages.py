"""The campaign's counted actions split by the language of the page they were taken on.

Every language of a campaign is one campaign (one id, one count); this report is where the split
shows. It reads the action log (one grouped query), so it is its own page, linked from the
overview, which answers from stored totals only.
"""

from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..language_selectors import actions_by_language
from .base import CampaignMixin, OrganiserOnlyMixin


class LanguagesView(OrganiserOnlyMixin, CampaignMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "globe"
    template_name = "reports/languages.html"

    def get_page_title(self):
        return f"Languages: {self.campaign.title}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reports:overview", args=[self.campaign.pk]), "label": self.campaign.title},
            {"url": "", "label": "Languages"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = actions_by_language(campaign_id=self.campaign.pk)
        context["campaign"] = self.campaign
        return context
