"""django-filter filtersets for the report listings (Wagtail renders them in its filter panel)."""

import django_filters
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from actions.models import Action, ActionKind, DailyTotal
from cms.models import CampaignPage


def _campaigns(request):
    return CampaignPage.objects.order_by("title")


def _call_outcomes():
    outcomes = (
        DailyTotal.objects.filter(kind=ActionKind.CALL).values_list("outcome", flat=True).distinct().order_by("outcome")
    )
    return [(outcome, outcome or "(none)") for outcome in outcomes]


class SignatureFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(queryset=_campaigns, empty_label="All campaigns")
    created_at = django_filters.DateFromToRangeFilter(label="Signed", widget=DateRangePickerWidget)
    # Free text rather than a list: a source is valid before the totals have seen it.
    source = django_filters.CharFilter(label="Source (exact, e.g. facebook)")
    consent = django_filters.BooleanFilter(label="Consented to updates")
    flagged = django_filters.BooleanFilter(label="Flagged")

    class Meta:
        model = Action
        fields = ["campaign", "created_at", "source", "consent", "flagged"]


class CallTotalFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(queryset=_campaigns, empty_label="All campaigns")
    day = django_filters.DateFromToRangeFilter(label="Day", widget=DateRangePickerWidget)
    outcome = django_filters.ChoiceFilter(choices=_call_outcomes, empty_label="Any outcome")

    class Meta:
        model = DailyTotal
        fields = ["campaign", "day", "outcome"]


class ExportLogFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(label="When", widget=DateRangePickerWidget)
    report = django_filters.CharFilter(label="Report")

    class Meta:
        from .models import ExportLog

        model = ExportLog
        fields = ["created_at", "report"]
