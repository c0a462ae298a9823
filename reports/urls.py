"""Admin URLs of the organiser reports, mounted under /admin/organiser-reports/ by wagtail_hooks."""

from django.urls import path

from .views import (
    calls,
    delivery,
    delivery_package,
    export_jobs,
    export_log,
    languages,
    letters,
    messages,
    overview,
    partner_supporters,
    signatures,
)

app_name = "reports"

urlpatterns = [
    path("overview/", overview.OverviewIndexView.as_view(), name="overview_index"),
    path("overview/<int:campaign_id>/", overview.OverviewView.as_view(), name="overview"),
    path("overview/<int:campaign_id>/languages/", languages.LanguagesView.as_view(), name="languages"),
    path("signatures/", signatures.SignaturesReportView.as_view(), name="signatures"),
    path("signatures/results/", signatures.SignaturesReportView.as_view(results_only=True), name="signatures_results"),
    path("delivery/<int:campaign_id>/csv/", delivery.DeliveryCsvView.as_view(), name="delivery_csv"),
    path("delivery/<int:campaign_id>/print/", delivery.DeliveryPrintView.as_view(), name="delivery_print"),
    path(
        "delivery/<int:campaign_id>/<int:target_id>/package/",
        delivery_package.DeliveryPackageStartView.as_view(),
        name="delivery_package",
    ),
    path("letters/<int:campaign_id>/<int:target_id>/print/", letters.LettersPrintView.as_view(), name="letters_print"),
    path("calls/", calls.CallsReportView.as_view(), name="calls"),
    path("calls/results/", calls.CallsReportView.as_view(results_only=True), name="calls_results"),
    path("messages/", messages.MessagesReportView.as_view(), name="messages"),
    path("messages/results/", messages.MessagesReportView.as_view(results_only=True), name="messages_results"),
    path("messages/retry/", messages.MessagesRetryView.as_view(), name="messages_retry"),
    path("partners/", partner_supporters.PartnerIndexView.as_view(), name="partner_index"),
    path(
        "partners/<int:partner_id>/supporters/",
        partner_supporters.PartnerSupportersView.as_view(),
        name="partner_supporters",
    ),
    path("exports/", export_log.ExportLogReportView.as_view(), name="export_log"),
    path("exports/results/", export_log.ExportLogReportView.as_view(results_only=True), name="export_log_results"),
    path("exports/<int:log_id>/", export_jobs.ExportJobView.as_view(), name="export_job"),
    path(
        "exports/<int:log_id>/download/<str:token>/",
        export_jobs.ExportJobDownloadView.as_view(),
        name="export_job_download",
    ),
    path(
        "exports/<int:log_id>/download/<str:token>/<str:part>/",
        export_jobs.ExportJobDownloadView.as_view(),
        name="export_job_download_part",
    ),
]
