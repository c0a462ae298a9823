"""The calls report: calls per day, target and outcome, summed from the daily totals."""

import django_filters
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column

from actions.models import DailyTotal

from .. import selectors
from .base import OrganiserReportView, campaign_filter


def _outcome_choices():
    return [(outcome, selectors.outcome_label(outcome)) for outcome in selectors.call_outcomes()]


class CallTotalFilterSet(WagtailFilterSet):
    campaign = campaign_filter()
    day = django_filters.DateFromToRangeFilter(label="Day", widget=DateRangePickerWidget)
    outcome = django_filters.ChoiceFilter(choices=_outcome_choices, empty_label="Any outcome")

    class Meta:
        model = DailyTotal
        fields = ["campaign", "day", "outcome"]


class CallsReportView(OrganiserReportView):
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
        return selectors.call_total_list()

    def get_filtered_queryset(self):
        # Filter the rows first, then sum per day, target and outcome.
        return selectors.call_totals_summed(self.filter_queryset(self.get_base_queryset()))

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        names = selectors.target_names({row["target_key"] for row in rows})
        for row in rows:
            row["target_name"] = names.get(row["target_key"], f"target {row['target_key']}")
            row["outcome"] = selectors.outcome_label(row["outcome"])
        return rows

    def export_rows(self, queryset):
        # Few rows (days x targets x outcomes): names are looked up once, then substituted.
        rows = list(queryset.values_list(*self.list_export))
        names = selectors.target_names({row[1] for row in rows})
        return (
            (day, names.get(key, key), selectors.outcome_label(outcome), calls, flagged)
            for day, key, outcome, calls, flagged in rows
        )
