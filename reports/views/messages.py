"""The messages report: each outbound email with its delivery status (never the supporter's
address), and the page that puts failed messages back in the queue."""

import django_filters
from django.contrib import messages as admin_messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from actions.models import OutboundMessage
from actions.outbox.deliver import messages_retry_failed

from .. import selectors
from .base import OrganiserOnlyMixin, OrganiserReportView


def _status_choices():
    # Only the statuses some message has, so the filter never offers an empty listing.
    return [(status, status) for status in selectors.outbound_status_counts()]


class MessageFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=_status_choices, empty_label="Any status")

    class Meta:
        model = OutboundMessage
        fields = ["status", "target"]


class MessagesReportView(OrganiserReportView):
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
        return selectors.message_list()

    @property
    def header_buttons(self):
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
        context["failed"] = selectors.failed_message_count()
        return context

    def post(self, request):
        count = messages_retry_failed(user=request.user)
        admin_messages.success(request, f"{count} failed message(s) queued again.")
        return redirect("reports:messages")
