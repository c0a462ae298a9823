"""Admin customisation for the actions app: targets are snippets editors manage in Wagtail."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import Target


class TargetViewSet(SnippetViewSet):
    """A SnippetViewSet gives editors list, search, create, edit and delete views for a model."""

    model = Target
    icon = "user"
    menu_label = "Targets"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "title", "delivery", "verify_before_launch"]
    list_filter = ["delivery", "verify_before_launch"]
    search_fields = ["name", "title"]
    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("title"), FieldPanel("photo"), FieldPanel("salutation")],
            heading="Who",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
                FieldRowPanel([FieldPanel("office_hours"), FieldPanel("time_zone")]),
                FieldPanel("contact_form_url"),
                FieldPanel("postal_address"),
            ],
            heading="Office contact",
        ),
        MultiFieldPanel(
            [
                FieldPanel("delivery"),
                FieldRowPanel([FieldPanel("digest_hour"), FieldPanel("max_messages_per_hour")]),
                FieldPanel("verify_before_launch"),
            ],
            heading="How messages reach them",
        ),
        FieldPanel("note"),
    ]


register_snippet(TargetViewSet)


# --- Abuse review -------------------------------------------------------------------------------
# register_admin_urls mounts our own views under /admin/; register_admin_menu_item adds them to
# the sidebar for users who may change actions.


@hooks.register("register_admin_urls")
def abuse_admin_urls():
    return [
        path("actions/flagged/", admin_views.flagged_review, name="actions_flagged_review"),
        path("actions/supporter-data/", admin_views.supporter_data_admin, name="actions_supporter_data"),
    ]


class _PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission="actions.change_action", **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def flagged_review_menu_item():
    return _PermissionMenuItem("Flagged actions", reverse("actions_flagged_review"), icon_name="warning", order=210)


@hooks.register("register_admin_menu_item")
def supporter_data_menu_item():
    return _PermissionMenuItem(
        "Supporter data",
        reverse("actions_supporter_data"),
        icon_name="user",
        order=220,
        permission="actions.change_supporter",
    )
