"""The organiser's first screen: a panel on the Wagtail admin's home (the dashboard).

Wagtail builds the home from ``Component`` panels and lets apps add theirs through the
``construct_homepage_panels`` hook (registered in ``reports/wagtail_hooks.py``). This one shows
each live campaign's counts today and this week, then what needs attention, each item a count
that links to its report or admin page and shown only to a user with the permission to open it.
Reads come from ``reports.home_selectors``.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from actions.models import OutboundMessage

from . import home_selectors
from .views.base import VIEW_REPORTS

# Who may open each "needs attention" page (the page itself checks the same permission).
REVIEW_FLAGGED = "actions.change_action"
IMPORT_PAPER = "events.add_paperimport"


@dataclass(frozen=True)
class AttentionItem:
    """One line of "needs attention": how many, what, and where an organiser deals with them."""

    count: int
    label: str
    url: str
    capped: bool = False


def _message_items(user) -> list[AttentionItem]:
    if not user.has_perm(VIEW_REPORTS):
        return []
    counts = home_selectors.failing_message_counts()
    labels = {
        OutboundMessage.Status.FAILED: _("failed messages"),
        OutboundMessage.Status.BOUNCED: _("bounced messages"),
    }
    url = reverse("reports:messages")
    return [AttentionItem(counts[status], label, f"{url}?status={status}") for status, label in labels.items()]


def attention_items(user) -> list[AttentionItem]:
    """The "needs attention" lines this user may act on, zero counts included (so "0" reassures)."""
    items = []
    if user.has_perm(REVIEW_FLAGGED):
        flagged = home_selectors.flagged_waiting_count()
        items.append(
            AttentionItem(
                min(flagged, home_selectors.FLAGGED_CAP),
                _("flagged actions waiting for review"),
                reverse("actions_flagged_review"),
                capped=flagged > home_selectors.FLAGGED_CAP,
            )
        )
    items.extend(_message_items(user))
    if user.has_perm(IMPORT_PAPER):
        items.append(
            AttentionItem(
                home_selectors.paper_imports_waiting_count(),
                _("paper imports waiting for confirmation"),
                reverse("paper_index"),
            )
        )
    return items


class OrganiserHomePanel(Component):
    """Live campaigns' counts and the "needs attention" list, first on the dashboard."""

    name = "organiser_home"
    template_name = "reports/home_panel.html"
    # Wagtail's own panels start at 210; a lower order puts this one above them.
    order = 50

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        show_counts = user.has_perm(VIEW_REPORTS)
        campaigns = home_selectors.live_campaign_counts() if show_counts else []
        return {
            "campaigns": [
                {"campaign": row["campaign"], "today": _cells(row["today"]), "week": _cells(row["week"])}
                for row in campaigns
            ],
            "show_counts": show_counts,
            "attention": attention_items(user),
        }


def _cells(counts: dict) -> list[tuple[str, int]]:
    """(column, count) in the table's column order, so the template needs no lookups."""
    return [(column, counts[column]) for column in home_selectors.COLUMNS]
