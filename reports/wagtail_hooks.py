"""Admin wiring for the organiser reports.

``register_admin_urls`` mounts our views inside the Wagtail admin, so they inherit its login
requirement; ``register_reports_menu_item`` adds entries to the admin's Reports submenu. A
``MenuItem.is_shown`` check hides each entry from users who may not open it (editors).
"""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls
from .views.base import VIEW_EXPORT_LOG, VIEW_REPORTS


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
