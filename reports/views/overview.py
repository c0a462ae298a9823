"""The campaign overview: a list of campaigns, then one page per campaign with its progress,
totals per action, target, source and outcome, top referrers and two charts (per day and per
hour), each chart followed by its numbers in a table."""

from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from actions.confirmation import confirmation_counts
from events.selectors import event_counts
from partners.selectors import partner_action_counts, partner_daily_counts

from .. import charts, selectors
from .base import EXPORT_SIGNATURES, CampaignMixin, OrganiserOnlyMixin


class OverviewIndexView(OrganiserOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "Campaign overview"
    header_icon = "list-ul"
    template_name = "reports/overview_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaigns"] = [
            {"page": page, "signatures": signatures, "url": reverse("reports:overview", args=[page.pk])}
            for page, signatures in selectors.campaign_signature_list()
        ]
        return context


def kinds_chart(*, title: str, rows, label) -> str:
    """A stacked bar per (moment, counts per kind) row, labelled by ``label(moment)``."""
    return charts.stacked_bars_svg(
        title=title,
        labels=[label(moment) for moment, _ in rows],
        series={kind: [counts[kind] for _, counts in rows] for kind in selectors.KINDS},
    )


class OverviewView(OrganiserOnlyMixin, CampaignMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "list-ul"
    template_name = "reports/overview.html"

    def get_page_title(self):
        return f"Overview: {self.campaign.title}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reports:overview_index"), "label": "Campaign overview"},
            {"url": "", "label": self.campaign.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = selectors.campaign_overview(campaign=self.campaign)
        context.update(
            data,
            campaign=self.campaign,
            kinds=selectors.KINDS,
            day_chart=kinds_chart(
                title="Counted actions per day", rows=data["per_day"], label=lambda day: f"{day:%b %-d}"
            ),
            hour_chart=kinds_chart(
                title="Counted actions per hour, last 48 hours",
                rows=data["per_hour"],
                label=lambda hour: f"{timezone.localtime(hour):%-d %Hh}",
            ),
            events=event_counts(campaign_id=self.campaign.pk),
            confirmations=confirmation_counts(campaign_id=self.campaign.pk),
            partner_counts=partner_action_counts(campaign_id=self.campaign.pk),
            partner_days=partner_daily_counts(campaign_id=self.campaign.pk),
            can_export=self.request.user.has_perm(EXPORT_SIGNATURES),
            delivery_csv_url=reverse("reports:delivery_csv", args=[self.campaign.pk]),
            delivery_print_url=reverse("reports:delivery_print", args=[self.campaign.pk]),
            packages=[
                (link.target, reverse("reports:delivery_package", args=[self.campaign.pk, link.target_id]))
                for link in self.campaign.campaign_targets.select_related("target")
            ],
            letters=[
                (target, n, reverse("reports:letters_print", args=[self.campaign.pk, target.pk]))
                for target, n in data["letter_targets"]
            ],
            signatures_url=reverse("reports:signatures") + f"?campaign={self.campaign.pk}",
            calls_url=reverse("reports:calls") + f"?campaign={self.campaign.pk}",
        )
        return context
