"""Admin wiring for the organiser reports.

``register_admin_urls`` mounts our views inside the Wagtail admin, so they inherit its login
requirement; ``register_reports_menu_item`` adds entries to the admin's Reports submenu. A
``MenuItem.is_shown`` check hides each entry from users who may not open it (editors).
``construct_homepage_panels`` puts the organiser's first screen (``home_panel``) on the admin's home.
"""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls
from .home_panel import OrganiserHomePanel
from .views.base import VIEW_EXPORT_LOG, VIEW_REPORTS
from .views.partner_supporters import ALL_PARTNERS, own_partner_id


class OrganiserMenuItem(MenuItem):
    def __init__(self, *args, permissions=(VIEW_REPORTS,), **kwargs):
        super().__init__(*args, **kwargs)
        self.permissions = permissions

    def is_shown(self, request):
        return request.user.has_perms(self.permissions)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("organiser-reports/", include(urls, namespace="reports"))]


@hooks.register("register_reports_menu_item")
def register_overview_menu_item():
    return OrganiserMenuItem("Campaign overview", reverse("reports:overview_index"), icon_name="list-ul", order=100)


@hooks.register("register_reports_menu_item")
def register_signatures_menu_item():
    return OrganiserMenuItem("Signatures", reverse("reports:signatures"), icon_name="form", order=110)


@hooks.register("register_reports_menu_item")
def register_calls_menu_item():
    return OrganiserMenuItem("Calls", reverse("reports:calls"), icon_name="mobile-alt", order=120)


@hooks.register("register_reports_menu_item")
def register_messages_menu_item():
    return OrganiserMenuItem("Messages", reverse("reports:messages"), icon_name="mail", order=130)


@hooks.register("register_reports_menu_item")
def register_export_log_menu_item():
    return OrganiserMenuItem(
        "Export log",
        reverse("reports:export_log"),
        icon_name="download",
        order=140,
        permissions=(VIEW_REPORTS, VIEW_EXPORT_LOG),
    )


class PartnerSupportersMenuItem(MenuItem):
    """Organisers, and a partner's organiser (for their own partner only)."""

    def is_shown(self, request):
        return request.user.has_perm(ALL_PARTNERS) or own_partner_id(request.user) is not None


@hooks.register("register_admin_menu_item")
def register_partner_supporters_menu_item():
    return PartnerSupportersMenuItem(
        "Partner supporters", reverse("reports:partner_index"), icon_name="group", order=226
    )


@hooks.register("construct_homepage_panels")
def add_organiser_home_panel(request, panels):
    """Put the organiser's first screen on the dashboard, above Wagtail's own panels."""
    panels.append(OrganiserHomePanel(request))


@hooks.register("construct_homepage_summary_items", order=1000)
def replace_site_summary(request, summary_items):
    """For a user who sees the campaigns' counts, they replace Wagtail's page, image and document
    counts at the top of the dashboard; editors keep Wagtail's summary."""
    if request.user.has_perm(VIEW_REPORTS):
        summary_items.clear()
