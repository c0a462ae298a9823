"""Printed letters: every counted letter a campaign's supporters added to the delivery for one
target, one letter a page, each signed with the supporter's name and city, for organisers to
print and deliver to the office's postal address."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.generic import View

from actions.models import Target

from .. import selectors
from .base import EXPORT_SIGNATURES, VIEW_REPORTS, CampaignMixin, OrganiserOnlyMixin, export_started


class LettersPrintView(OrganiserOnlyMixin, CampaignMixin, View):
    """Letters carry supporters' names and cities, so the page needs the export permission and
    each printing is logged like an export."""

    required_permissions = (VIEW_REPORTS, EXPORT_SIGNATURES)

    def get(self, request, campaign_id, target_id):
        target = get_object_or_404(Target, pk=target_id)
        report = f"letters:{self.campaign.pk}:{target.pk}"
        finished = export_started(request=request, report=report, export_format="html", query={})
        letters = list(selectors.letter_rows(campaign_id=self.campaign.pk, target_id=target.pk))
        finished(len(letters))
        context = {"campaign": self.campaign, "target": target, "letters": letters, "printed_on": timezone.localdate()}
        return TemplateResponse(request, "reports/letters_print.html", context)
