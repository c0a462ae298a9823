"""What every organiser report shares: permissions, the 403 page and streamed, logged exports.

``OrganiserReportView`` overrides Wagtail's spreadsheet export to stream rows from the database
instead of loading model instances, and writes every download to ``ExportLog``.
"""

from collections.abc import Callable

import django_filters
from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.views.reports import ReportView

from cms.models import CampaignPage

from .. import selectors, services
from ..exports import csv_stream, xlsx_file

VIEW_REPORTS = "reports.view_reports"
EXPORT_SIGNATURES = "reports.export_signatures"
VIEW_EXPORT_LOG = "reports.view_exportlog"


def forbidden(request):
    return TemplateResponse(request, "reports/forbidden.html", status=403)


class OrganiserOnlyMixin:
    """Answer 403 unless the user holds every permission in ``required_permissions``."""

    required_permissions = (VIEW_REPORTS,)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perms(self.required_permissions):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class CampaignMixin:
    """For a view whose URL names a campaign: ``self.campaign`` is that page, or a 404.

    Looked up on first use, so the permission check in ``dispatch`` always comes first.
    """

    @cached_property
    def campaign(self) -> CampaignPage:
        return get_object_or_404(CampaignPage, pk=self.kwargs["campaign_id"])


def campaign_filter():
    """The "Campaign" filter of a listing whose rows belong to one campaign each."""
    return django_filters.ModelChoiceFilter(
        queryset=lambda request: selectors.campaign_list(), empty_label="All campaigns"
    )


def export_started(*, request, report: str, export_format: str, query: dict) -> Callable[[int], None]:
    """Log that ``request.user`` started an export; returns the callback that records its row count."""
    log = services.export_log_start(user=request.user, report=report, export_format=export_format, query=query)
    return lambda count: services.export_log_finish(log_id=log.pk, row_count=count)


def streamed_download(*, request, report: str, export_format: str, headings, rows, filename: str):
    """Log the export, then stream ``rows`` as CSV or build the XLSX in a temporary file."""
    finished = export_started(
        request=request, report=report, export_format=export_format, query=dict(request.GET.lists())
    )
    if export_format == "xlsx":
        output, count = xlsx_file(headings, rows)
        finished(count)
        return FileResponse(
            output,
            as_attachment=True,
            filename=f"{filename}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response = StreamingHttpResponse(
        csv_stream(headings, rows, on_done=finished), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


class OrganiserReportView(OrganiserOnlyMixin, ReportView):
    """A Wagtail report whose spreadsheet export streams ``export_columns`` with flat memory.

    ``export_columns`` is a list of (heading, ``values_list`` lookup) pairs; a report without
    them has no download buttons.
    """

    report_name = ""
    export_columns: list[tuple[str, str]] = []
    export_permissions = (VIEW_REPORTS,)

    @property
    def list_export(self):
        # Wagtail shows its download buttons when list_export is non-empty.
        return [lookup for _, lookup in self.export_columns]

    def get(self, request, *args, **kwargs):
        if not self.is_export:
            return super().get(request, *args, **kwargs)
        if not self.export_columns:
            raise Http404("This report has no export.")
        if not request.user.has_perms(self.export_permissions):
            return forbidden(request)
        if self.filters is not None and not self.filters.is_valid():
            # An unreadable filter must never widen an export to everything.
            return HttpResponseBadRequest("The filter is not valid; correct it on the report page first.")
        if request.GET["export"] == "xlsx":
            queryset = self.get_filtered_queryset()
            rows_expected = queryset.count()
            if rows_expected > settings.XLSX_BACKGROUND_ROWS:
                # Too large to build while the browser waits: a worker builds it (export_jobs).
                log = services.xlsx_job_start(
                    user=request.user,
                    report=self.report_name,
                    query=dict(request.GET.lists()),
                    rows_expected=rows_expected,
                )
                return redirect("reports:export_job", log.pk)
        return streamed_download(
            request=request,
            report=self.report_name,
            export_format=request.GET["export"],
            headings=[heading for heading, _ in self.export_columns],
            rows=self.export_rows(self.get_filtered_queryset()),
            filename=f"{self.report_name}-{timezone.localdate():%Y-%m-%d}",
        )

    def export_rows(self, queryset):
        as_text = self.request.GET.get("export") == "csv"
        return selectors.export_values(queryset, self.list_export, as_text=as_text)
