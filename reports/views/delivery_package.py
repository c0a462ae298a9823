"""The petition's delivery package for one target: a POST from the campaign overview queues the
build (``services.delivery_job_start``) and sends the organiser to the job's page, which shows
progress and then the PDF and manifest links (``export_jobs.ExportJobView``)."""

from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import View

from actions import selectors as action_selectors
from cms.models import CampaignTarget

from .. import services
from .base import EXPORT_SIGNATURES, VIEW_REPORTS, CampaignMixin, OrganiserOnlyMixin


class DeliveryPackageStartView(OrganiserOnlyMixin, CampaignMixin, View):
    """The package hands over supporters' names, so it needs the export permission."""

    required_permissions = (VIEW_REPORTS, EXPORT_SIGNATURES)
    http_method_names = ["post"]

    def post(self, request, campaign_id: int, target_id: int):
        if not CampaignTarget.objects.filter(page_id=self.campaign.pk, target_id=target_id).exists():
            raise Http404("That target is not one of this campaign's.")
        log = services.delivery_job_start(
            user=request.user,
            campaign_id=self.campaign.pk,
            target_id=target_id,
            rows_expected=action_selectors.campaign_totals(campaign_id=self.campaign.pk)["sign"],
        )
        return HttpResponseRedirect(reverse("reports:export_job", args=[log.pk]))
