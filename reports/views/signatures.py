"""The signatures report: every signature, searchable and filterable, exported with the
supporter's details (which takes the extra ``export_signatures`` permission)."""

import django_filters
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn

from actions.models import Action
from actions.pii import email_index

from .. import selectors
from .base import EXPORT_SIGNATURES, VIEW_REPORTS, OrganiserReportView, campaign_filter


class SignatureFilterSet(WagtailFilterSet):
    campaign = campaign_filter()
    created_at = django_filters.DateFromToRangeFilter(label="Signed", widget=DateRangePickerWidget)
    # Free text rather than a list: a source is valid before the totals have seen it.
    source = django_filters.CharFilter(label="Source (exact, e.g. facebook)")
    consent = django_filters.BooleanFilter(label="Consented to updates")
    flagged = django_filters.BooleanFilter(label="Flagged")

    class Meta:
        model = Action
        fields = ["campaign", "created_at", "source", "consent", "flagged"]


class SignaturesReportView(OrganiserReportView):
    page_title = "Signatures"
    header_icon = "form"
    report_name = "signatures"
    index_url_name = "reports:signatures"
    index_results_url_name = "reports:signatures_results"
    filterset_class = SignatureFilterSet
    is_searchable = True
    search_backend_name = None
    # Personal columns are encrypted: the search box finds one supporter by exact email, through
    # the blind index (names and cities cannot be searched without decrypting every row).
    search_fields = ["supporter__email_index"]
    default_ordering = "-created_at"
    export_permissions = (VIEW_REPORTS, EXPORT_SIGNATURES)
    columns = [
        Column("name", label="Name", accessor="supporter.full_name"),
        Column("city", label="City", accessor="supporter.city"),
        Column("campaign", label="Campaign", accessor="campaign.title"),
        Column("source", label="Source"),
        BooleanColumn("consent", label="Consent"),
        BooleanColumn("flagged", label="Flagged"),
        DateColumn("created_at", label="Signed", sort_key="created_at"),
    ]
    export_columns = [
        ("Signed", "created_at"),
        ("First name", "supporter__first_name"),
        ("Last name", "supporter__last_name"),
        ("Email", "supporter__email"),
        ("City", "supporter__city"),
        ("Postal code", "supporter__postal_code"),
        ("Country", "supporter__country"),
        ("Campaign", "campaign__title"),
        ("Comment", "comment"),
        ("Source", "source"),
        ("Referrer code", "referrer_code"),
        ("Consent", "consent"),
        ("Flagged", "flagged"),
        ("Flag reason", "flag_reason"),
    ]

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(supporter__email_index=email_index(self.search_query))

    def get_base_queryset(self):
        return selectors.signature_list()

    def order_queryset(self, queryset):
        # The id breaks ties so pages and exports never repeat or skip a row.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "-id") if queryset.query.order_by else queryset
