"""Admin for integrations: Settings > Webhooks and Settings > API tokens."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def integrations_admin_urls():
    return [
        path("integrations/webhooks/", admin_views.webhooks, name="integrations_webhooks"),
        path(
            "integrations/webhooks/<int:subscription_id>/",
            admin_views.webhook_deliveries,
            name="integrations_webhook_deliveries",
        ),
        path("integrations/api-tokens/", admin_views.api_tokens, name="integrations_api_tokens"),
    ]


class _PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_settings_menu_item")
def webhooks_menu_item():
    return _PermissionMenuItem(
        "Webhooks",
        reverse("integrations_webhooks"),
        icon_name="link",
        order=900,
        permission="integrations.change_webhooksubscription",
    )


@hooks.register("register_settings_menu_item")
def api_tokens_menu_item():
    return _PermissionMenuItem(
        "API tokens",
        reverse("integrations_api_tokens"),
        icon_name="key",
        order=910,
        permission="integrations.change_apitoken",
    )
