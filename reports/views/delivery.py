"""Petition delivery: the signatures as handed to an office (name, city, comment and date, one
row per counted signature), as a CSV download or a printable page."""

from django.http import StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.generic import View

from actions import selectors as action_selectors

from .. import selectors
from ..exports import html_rows_stream
from .base import EXPORT_SIGNATURES, VIEW_REPORTS, CampaignMixin, OrganiserOnlyMixin, export_started, streamed_download


class DeliveryView(OrganiserOnlyMixin, CampaignMixin, View):
    """Both formats hand over supporters' names, so both need the export permission."""

    required_permissions = (VIEW_REPORTS, EXPORT_SIGNATURES)

    @property
    def report_name(self) -> str:
        return f"petition-delivery:{self.campaign.pk}"


class DeliveryCsvView(DeliveryView):
    def get(self, request, campaign_id):
        return streamed_download(
            request=request,
            report=self.report_name,
            export_format="csv",
            headings=["Name", "City", "Comment", "Date"],
            rows=selectors.petition_delivery_rows(campaign_id=self.campaign.pk),
            filename=f"petition-{self.campaign.slug}-{timezone.localdate():%Y-%m-%d}",
        )


class DeliveryPrintView(DeliveryView):
    """A printable page of the same rows, streamed so a large petition prints without a timeout."""

    def get(self, request, campaign_id):
        finished = export_started(request=request, report=self.report_name, export_format="html", query={})
        head = render_to_string(
            "reports/delivery_print_head.html",
            {
                "campaign": self.campaign,
                "signatures": action_selectors.campaign_totals(campaign_id=self.campaign.pk)["sign"],
                "printed_on": timezone.localdate(),
            },
        )
        foot = render_to_string("reports/delivery_print_foot.html", {})
        rows = selectors.petition_delivery_rows(campaign_id=self.campaign.pk)
        return StreamingHttpResponse(
            html_rows_stream(head, foot, rows, on_done=finished), content_type="text/html; charset=utf-8"
        )
