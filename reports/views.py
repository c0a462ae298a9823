"""Organiser reports in the Wagtail admin.

Listings build on Wagtail's ``ReportView`` (a filtered, paginated listing with the admin's page
furniture and its "Download CSV / XLSX" buttons). Exports are overridden to stream rows from the
database instead of loading model instances, and every download is written to ``ExportLog``.
Anonymous visitors never reach these views: Wagtail's admin URLs send them to the login page.
Signed-in users without the organiser permission get a 403 (not Wagtail's usual redirect), so
an editor can tell they are not allowed rather than being silently sent to the dashboard.
"""

from django.db.models import Sum
from django.http import FileResponse, Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from actions import selectors as action_selectors
from actions.models import Action, ActionKind, DailyTotal
from cms.models import CampaignPage

from . import charts, selectors, services
from .exports import CHUNK_SIZE, csv_stream, html_rows_stream, xlsx_file
from .filters import CallTotalFilterSet, ExportLogFilterSet, SignatureFilterSet
from .models import ExportLog

VIEW_REPORTS = "reports.view_reports"
EXPORT_SIGNATURES = "reports.export_signatures"


def forbidden(request):
    return TemplateResponse(request, "reports/forbidden.html", status=403)


class OrganiserOnlyMixin:
    """Answer 403 unless the user holds every permission in ``required_permissions``."""

    required_permissions = (VIEW_REPORTS,)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perms(self.required_permissions):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


def streamed_download(*, request, report: str, export_format: str, headings, rows, filename: str):
    """Log the export, then stream ``rows`` as CSV or build the XLSX in a temporary file."""
    log = services.export_log_start(
        user=request.user, report=report, export_format=export_format, query=dict(request.GET.lists())
    )
    if export_format == "xlsx":
        output, count = xlsx_file(headings, rows)
        services.export_log_finish(log_id=log.pk, row_count=count)
        return FileResponse(
            output,
            as_attachment=True,
            filename=f"{filename}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    stream = csv_stream(
        headings, rows, on_done=lambda count: services.export_log_finish(log_id=log.pk, row_count=count)
    )
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


class OrganiserReportView(OrganiserOnlyMixin, ReportView):
    """A Wagtail report whose spreadsheet export streams ``export_columns`` with flat memory.

    ``export_columns`` is a list of (heading, ``values_list`` lookup) pairs.
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
        queryset = self.get_filtered_queryset()
        rows = self.export_rows(queryset)
        return streamed_download(
            request=request,
            report=self.report_name,
            export_format=request.GET["export"],
            headings=[heading for heading, _ in self.export_columns],
            rows=rows,
            filename=f"{self.report_name}-{timezone.localdate():%Y-%m-%d}",
        )

    def export_rows(self, queryset):
        return queryset.values_list(*self.list_export).iterator(chunk_size=CHUNK_SIZE)


# --- Signatures ---------------------------------------------------------------------------------


class SignaturesReportView(OrganiserReportView):
    page_title = "Signatures"
    header_icon = "form"
    report_name = "signatures"
    index_url_name = "reports:signatures"
    index_results_url_name = "reports:signatures_results"
    filterset_class = SignatureFilterSet
    is_searchable = True
    search_backend_name = None
    search_fields = ["supporter__first_name", "supporter__last_name", "supporter__city", "supporter__email"]
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

    def get_base_queryset(self):
        return Action.objects.filter(kind=ActionKind.SIGN).select_related("supporter", "campaign")

    def order_queryset(self, queryset):
        # The id breaks ties so pages and exports never repeat or skip a row.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "-id") if queryset.query.order_by else queryset


def _delivery_rows(campaign_id: int):
    return (
        Action.objects.filter(campaign_id=campaign_id, kind=ActionKind.SIGN, flagged=False)
        .order_by("created_at", "id")
        .values_list("supporter__first_name", "supporter__last_name", "supporter__city", "comment", "created_at")
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _delivery_shaped(rows):
    for first_name, last_name, city, comment, created_at in rows:
        yield (f"{first_name} {last_name}".strip(), city, comment, timezone.localtime(created_at).date())


class DeliveryCsvView(OrganiserOnlyMixin, View):
    """The petition as handed to an office: name, city, comment and date, one row per signature."""

    required_permissions = (VIEW_REPORTS, EXPORT_SIGNATURES)

    def get(self, request, campaign_id):
        campaign = get_object_or_404(CampaignPage, pk=campaign_id)
        return streamed_download(
            request=request,
            report=f"petition-delivery:{campaign.pk}",
            export_format="csv",
            headings=["Name", "City", "Comment", "Date"],
            rows=_delivery_shaped(_delivery_rows(campaign.pk)),
            filename=f"petition-{campaign.slug}-{timezone.localdate():%Y-%m-%d}",
        )


class DeliveryPrintView(OrganiserOnlyMixin, View):
    """A printable page of the same rows, streamed so a large petition prints without a timeout."""

    required_permissions = (VIEW_REPORTS, EXPORT_SIGNATURES)

    def get(self, request, campaign_id):
        campaign = get_object_or_404(CampaignPage, pk=campaign_id)
        log = services.export_log_start(
            user=request.user, report=f"petition-delivery:{campaign.pk}", export_format="html", query={}
        )
        signatures = action_selectors.campaign_totals(campaign_id=campaign.pk)["sign"]
        head = render_to_string(
            "reports/delivery_print_head.html",
            {"campaign": campaign, "signatures": signatures, "printed_on": timezone.localdate()},
        )
        foot = render_to_string("reports/delivery_print_foot.html", {})
        stream = html_rows_stream(
            head,
            foot,
            _delivery_shaped(_delivery_rows(campaign.pk)),
            on_done=lambda count: services.export_log_finish(log_id=log.pk, row_count=count),
        )
        return StreamingHttpResponse(stream, content_type="text/html; charset=utf-8")


# --- Campaign overview ----------------------------------------------------------------------


class OverviewIndexView(OrganiserOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "Campaign overview"
    header_icon = "list-ul"
    template_name = "reports/overview_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        signed = dict(
            DailyTotal.objects.filter(kind=ActionKind.SIGN)
            .values("campaign_id")
            .annotate(n=Sum("count"))
            .values_list("campaign_id", "n")
        )
        context["campaigns"] = [
            {"page": page, "signatures": signed.get(page.pk, 0), "url": reverse("reports:overview", args=[page.pk])}
            for page in CampaignPage.objects.order_by("-first_published_at", "title")
        ]
        return context


class OverviewView(OrganiserOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "list-ul"
    template_name = "reports/overview.html"

    def get_page_title(self):
        return f"Overview: {self.campaign.title}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reports:overview_index"), "label": "Campaign overview"},
            {"url": "", "label": self.campaign.title},
        ]

    def get(self, request, campaign_id):
        self.campaign = CampaignPage.objects.filter(pk=campaign_id).first()
        if self.campaign is None:
            raise Http404
        return super().get(request, campaign_id=campaign_id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = selectors.campaign_overview(campaign=self.campaign)
        kinds = selectors.KINDS
        context.update(
            data,
            campaign=self.campaign,
            kinds=kinds,
            day_chart=charts.stacked_bars_svg(
                title="Counted actions per day",
                labels=[f"{day:%b %-d}" for day, _ in data["per_day"]],
                series={kind: [counts[kind] for _, counts in data["per_day"]] for kind in kinds},
            ),
            hour_chart=charts.stacked_bars_svg(
                title="Counted actions per hour, last 48 hours",
                labels=[f"{timezone.localtime(hour):%-d %Hh}" for hour, _ in data["per_hour"]],
                series={kind: [counts[kind] for _, counts in data["per_hour"]] for kind in kinds},
            ),
            can_export=self.request.user.has_perm(EXPORT_SIGNATURES),
            delivery_csv_url=reverse("reports:delivery_csv", args=[self.campaign.pk]),
            delivery_print_url=reverse("reports:delivery_print", args=[self.campaign.pk]),
            signatures_url=reverse("reports:signatures") + f"?campaign={self.campaign.pk}",
            calls_url=reverse("reports:calls") + f"?campaign={self.campaign.pk}",
        )
        return context


# --- Calls --------------------------------------------------------------------------------------


class CallsReportView(OrganiserReportView):
    """Calls per day, target and outcome, summed from the daily totals."""

    page_title = "Calls"
    header_icon = "mobile-alt"
    report_name = "calls"
    index_url_name = "reports:calls"
    index_results_url_name = "reports:calls_results"
    filterset_class = CallTotalFilterSet
    columns = [
        Column("day", label="Day"),
        Column("target_name", label="Target"),
        Column("outcome", label="Outcome"),
        Column("calls", label="Calls counted"),
        Column("flagged", label="Flagged"),
    ]
    export_columns = [
        ("Day", "day"),
        ("Target", "target_key"),
        ("Outcome", "outcome"),
        ("Calls counted", "calls"),
        ("Flagged", "flagged"),
    ]

    def get_base_queryset(self):
        return DailyTotal.objects.filter(kind=ActionKind.CALL)

    def get_filtered_queryset(self):
        # Filter the rows first, then sum per day, target and outcome.
        rows = self.filter_queryset(self.get_base_queryset())
        return (
            rows.values("day", "target_key", "outcome")
            .annotate(calls=Sum("count"), flagged=Sum("flagged_count"))
            .order_by("-day", "target_key", "outcome")
        )

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        names = selectors.target_names({row["target_key"] for row in rows})
        for row in rows:
            row["target_name"] = names.get(row["target_key"], f"target {row['target_key']}")
            row["outcome"] = row["outcome"] or "(none)"
        return rows

    def export_rows(self, queryset):
        # Few rows (days x targets x outcomes): names are looked up once, then substituted.
        rows = list(queryset.values_list(*self.list_export))
        names = selectors.target_names({row[1] for row in rows})
        return (
            (day, names.get(key, key), outcome or "(none)", calls, flagged)
            for day, key, outcome, calls, flagged in rows
        )


# --- Export log ---------------------------------------------------------------------------------


class ExportLogReportView(OrganiserReportView):
    page_title = "Export log"
    header_icon = "download"
    index_url_name = "reports:export_log"
    index_results_url_name = "reports:export_log_results"
    filterset_class = ExportLogFilterSet
    required_permissions = (VIEW_REPORTS, "reports.view_exportlog")
    default_ordering = "-created_at"
    columns = [
        DateColumn("created_at", label="When", sort_key="created_at"),
        Column("username", label="Who"),
        Column("report", label="Report"),
        Column("export_format", label="Format"),
        Column("querystring", label="Filter"),
        Column("row_count", label="Rows"),
    ]

    def get_base_queryset(self):
        return ExportLog.objects.all()

    @property
    def list_export(self):
        return []  # the log itself is not exported


# --- Outbound messages (only once the email-delivery branch provides the model) ---------------

OutboundMessage = selectors.optional_model("actions", "OutboundMessage")
MESSAGE_FIELDS = ("status", "attempts", "last_error", "esp_message_id", "target")

if OutboundMessage is not None and all(
    any(f.name == name for f in OutboundMessage._meta.get_fields()) for name in MESSAGE_FIELDS
):
    import django_filters
    from wagtail.admin.filters import WagtailFilterSet

    class MessageFilterSet(WagtailFilterSet):
        status = django_filters.ChoiceFilter(
            choices=lambda: [(s, s) for s in selectors.outbound_status_counts() or {}], empty_label="Any status"
        )

        class Meta:
            model = OutboundMessage
            fields = ["status", "target"]

    class MessagesReportView(OrganiserReportView):
        """Each outbound message with its delivery status. No supporter addresses are shown."""

        page_title = "Messages"
        header_icon = "mail"
        report_name = "messages"
        index_url_name = "reports:messages"
        index_results_url_name = "reports:messages_results"
        filterset_class = MessageFilterSet
        default_ordering = "-pk"
        columns = [
            Column("pk", label="#"),
            Column("target", label="Target"),
            Column("status", label="Status"),
            Column("attempts", label="Attempts"),
            Column("last_error", label="Last error"),
            Column("esp_message_id", label="Provider id"),
        ]
        export_columns = [
            ("Id", "pk"),
            ("Target", "target__name"),
            ("Status", "status"),
            ("Attempts", "attempts"),
            ("Last error", "last_error"),
            ("Provider id", "esp_message_id"),
        ]

        def get_base_queryset(self):
            return OutboundMessage.objects.select_related("target")

        @property
        def header_buttons(self):
            from wagtail.admin.widgets.button import HeaderButton

            return [
                *super().header_buttons,
                HeaderButton("Retry failed messages", reverse("reports:messages_retry"), icon_name="redirect"),
            ]

    class MessagesRetryView(OrganiserOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
        """GET shows how many messages failed and one button; only the POST requeues them."""

        page_title = "Retry failed messages"
        header_icon = "redirect"
        template_name = "reports/messages_retry.html"

        def get_context_data(self, **kwargs):
            context = super().get_context_data(**kwargs)
            context["failed"] = OutboundMessage.objects.filter(status="failed").count()
            return context

        def post(self, request):
            from django.contrib import messages as admin_messages
            from django.shortcuts import redirect

            from actions.outbox import deliver

            count = deliver.messages_retry_failed(user=request.user)
            admin_messages.success(request, f"{count} failed message(s) queued again.")
            return redirect("reports:messages")
else:
    MessagesReportView = MessagesRetryView = None
