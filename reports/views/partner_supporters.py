"""A partner's opted-in supporters, for that partner's organiser (and the campaign's organisers).

A partner organiser's account is linked to one partner (``partners.PartnerMembership``) and sees
that partner's supporters only: name, email, ZIP code, the opt-in words and when they were
given. Any other partner's page answers 403, whether it exists or not. Organisers (the
``partners.view_partner_reports`` permission) see every partner. Every download is written to
the export log like any other report's.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from actions.access.services import pii_access_record
from partners.models import Partner, PartnerMembership
from partners.selectors import partner_supporters

from .base import forbidden, streamed_download

ALL_PARTNERS = "partners.view_partner_reports"
HEADINGS = ["First name", "Last name", "Email", "ZIP code", "Consent text", "Consent given at", "Campaign"]
EXPORT_FORMATS = ("csv", "xlsx")


def own_partner_id(user) -> int | None:
    """The one partner a partner organiser's account is linked to, or None."""
    membership = PartnerMembership.objects.filter(user_id=user.pk).only("partner_id").first()
    return membership.partner_id if membership else None


def may_see_partner(user, partner_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return user.has_perm(ALL_PARTNERS) or own_partner_id(user) == partner_id


class PartnerIndexView(WagtailAdminTemplateMixin, TemplateView):
    """Organisers: every partner. A partner organiser goes straight to their own partner."""

    page_title = "Partner supporters"
    header_icon = "group"
    template_name = "reports/partner_index.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(ALL_PARTNERS):
            partner_id = own_partner_id(request.user)
            if partner_id is None:
                return forbidden(request)
            return redirect("reports:partner_supporters", partner_id)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partners"] = [
            (partner, reverse("reports:partner_supporters", args=[partner.pk])) for partner in Partner.objects.all()
        ]
        return context


class PartnerSupportersView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "group"
    template_name = "reports/partner_supporters.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_partner(request.user, self.kwargs["partner_id"]):
            return forbidden(request)
        self.partner = get_object_or_404(Partner, pk=self.kwargs["partner_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Supporters who opted in to {self.partner.name}"

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get("export")
        if export_format is None:
            return super().get(request, *args, **kwargs)
        if export_format not in EXPORT_FORMATS:
            raise Http404("No such format.")
        return streamed_download(
            request=request,
            report=f"partner-supporters-{self.partner.code}",
            export_format=export_format,
            headings=HEADINGS,
            rows=self.rows(),
            filename=f"{self.partner.code}-supporters-{timezone.localdate():%Y-%m-%d}",
        )

    def rows(self):
        """Export rows; ``reports.exports`` makes every cell formula-safe and times local."""
        campaigns = {}
        for consent in partner_supporters(partner=self.partner).iterator(chunk_size=500):
            supporter = consent.supporter
            if consent.campaign_id not in campaigns:
                campaigns[consent.campaign_id] = consent.campaign.title
            yield (
                supporter.first_name,
                supporter.last_name,
                supporter.email,
                supporter.postal_code,
                consent.text,
                consent.given_at,
                campaigns[consent.campaign_id],
            )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consents = partner_supporters(partner=self.partner).select_related("campaign")
        shown = list(consents[:200])
        # The page lists names and emails: a read of personal data (downloads are logged on export).
        pii_access_record(user=self.request.user, what=f"partner supporters: {self.partner.code}", rows=len(shown))
        context.update(
            partner=self.partner,
            total=consents.count(),
            consents=shown,
            csv_url=reverse("reports:partner_supporters", args=[self.partner.pk]) + "?export=csv",
            xlsx_url=reverse("reports:partner_supporters", args=[self.partner.pk]) + "?export=xlsx",
        )
        return context
