"""The export log: who downloaded which report, when, with which filter and how many rows.
It has no export of its own."""

import django_filters
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn

from .. import selectors
from ..models import ExportLog
from .base import VIEW_EXPORT_LOG, VIEW_REPORTS, OrganiserReportView


class ExportLogFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(label="When", widget=DateRangePickerWidget)
    report = django_filters.CharFilter(label="Report")

    class Meta:
        model = ExportLog
        fields = ["created_at", "report"]


class ExportLogReportView(OrganiserReportView):
    page_title = "Export log"
    header_icon = "download"
    index_url_name = "reports:export_log"
    index_results_url_name = "reports:export_log_results"
    filterset_class = ExportLogFilterSet
    required_permissions = (VIEW_REPORTS, VIEW_EXPORT_LOG)
    default_ordering = "-created_at"
    columns = [
        DateColumn("created_at", label="When", sort_key="created_at"),
        Column("username", label="Who"),
        Column("report", label="Report"),
        Column("export_format", label="Format"),
        Column("querystring", label="Filter"),
        Column("row_count", label="Rows"),
        Column("job_status", label="Built by a worker", accessor="get_job_status_display"),
        Column("content_sha256", label="SHA-256 of the delivered list"),
    ]

    def get_base_queryset(self):
        return selectors.export_log_list()
