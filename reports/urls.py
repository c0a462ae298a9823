"""Admin URLs of the organiser reports, mounted under /admin/organiser-reports/ by wagtail_hooks."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("overview/", views.OverviewIndexView.as_view(), name="overview_index"),
    path("overview/<int:campaign_id>/", views.OverviewView.as_view(), name="overview"),
    path("signatures/", views.SignaturesReportView.as_view(), name="signatures"),
    path("signatures/results/", views.SignaturesReportView.as_view(results_only=True), name="signatures_results"),
    path("delivery/<int:campaign_id>/csv/", views.DeliveryCsvView.as_view(), name="delivery_csv"),
    path("delivery/<int:campaign_id>/print/", views.DeliveryPrintView.as_view(), name="delivery_print"),
    path("calls/", views.CallsReportView.as_view(), name="calls"),
    path("calls/results/", views.CallsReportView.as_view(results_only=True), name="calls_results"),
    path("exports/", views.ExportLogReportView.as_view(), name="export_log"),
    path("exports/results/", views.ExportLogReportView.as_view(results_only=True), name="export_log_results"),
]

if views.MessagesReportView is not None:
    urlpatterns += [
        path("messages/", views.MessagesReportView.as_view(), name="messages"),
        path("messages/results/", views.MessagesReportView.as_view(results_only=True), name="messages_results"),
        path("messages/retry/", views.MessagesRetryView.as_view(), name="messages_retry"),
    ]
