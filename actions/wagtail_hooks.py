"""Admin customisation for the actions app: targets and suppressions are snippets editors manage
in Wagtail; each campaign has an "Email delivery" view with the live switch and a preview."""

from django import forms
from django.contrib import messages as admin_messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .calls import wagtail_hooks as call_hooks  # noqa: F401  (registers the call bridge's snippets)
from .models import (
    CampaignDelivery,
    DeliverySwitch,
    OutboundMessage,
    PersonalDataAccess,
    Supporter,
    Suppression,
    Target,
)
from .outbox.compose import campaign_address, from_name
from .outbox.take import delivery_for, delivery_switch


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
                FieldRowPanel([FieldPanel("email"), FieldPanel("phone"), FieldPanel("phone_extension")]),
                FieldRowPanel([FieldPanel("office_hours"), FieldPanel("time_zone")]),
                FieldPanel("contact_form_url"),
                FieldPanel("postal_address"),
                FieldPanel("jurisdiction"),
            ],
            heading="Office contact",
        ),
        MultiFieldPanel(
            [
                FieldPanel("delivery"),
                FieldPanel("language"),
                FieldRowPanel([FieldPanel("digest_hour"), FieldPanel("max_messages_per_hour")]),
                FieldPanel("verify_before_launch"),
            ],
            heading="How messages reach them",
        ),
        FieldPanel("note"),
    ]


register_snippet(TargetViewSet)


# --- Email delivery: suppressions, the outbox, and each campaign's live-delivery switch ----------


class SuppressionViewSet(SnippetViewSet):
    """Addresses we no longer send to (bounces, complaints). Editors can see, add or remove them."""

    model = Suppression
    icon = "cross"
    menu_label = "Suppressed addresses"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["address", "reason", "created_at"]
    list_filter = ["reason"]
    search_fields = ["address"]
    panels = [FieldPanel("address"), FieldPanel("reason"), FieldPanel("detail")]


register_snippet(SuppressionViewSet)


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """The outbox is written only by the services: the admin may look, never add, edit or delete."""

    def user_has_permission(self, user, action):
        return action not in ("add", "change", "delete") and super().user_has_permission(user, action)


class OutboundMessageViewSet(ModelViewSet):
    """A ModelViewSet gives a listing (with filters) and an inspect view of a model in the admin.

    Organisers see each message's status, attempts and, for a failed one, why it failed.
    """

    model = OutboundMessage
    icon = "mail"
    menu_label = "Email outbox"
    menu_order = 220
    add_to_admin_menu = True
    inspect_view_enabled = True
    form_fields = []  # never edited here; the policy below refuses add, change and delete
    list_display = ["__str__", "kind", "target", "status", "review", "attempts", "last_error", "created_at"]
    list_filter = ["status", "review", "kind", "delivery"]
    inspect_view_fields = [
        "campaign",
        "target",
        "kind",
        "delivery",
        "status",
        "review",
        "to_email",
        "subject",
        "attempts",
        "next_attempt_at",
        "last_error",
        "esp_message_id",
        "created_at",
        "sent_at",
        "delivered_at",
    ]


register_permission_policy(OutboundMessage, ReadOnlyPermissionPolicy(OutboundMessage))


class AccessLogPermissionPolicy(ModelPermissionPolicy):
    """The access log is append-only: organisers (who may view reports) and superusers may read
    it; nobody, superusers included, may add, change or delete an entry from the admin."""

    def user_has_permission(self, user, action):
        if action != "view" or not user.is_active:
            return False
        return user.is_superuser or user.has_perm("reports.view_reports")


class AccessLogViewSet(ModelViewSet):
    model = PersonalDataAccess
    icon = "history"
    menu_label = "Personal data access log"
    menu_order = 230
    add_to_admin_menu = True
    form_fields = []
    list_display = ["at", "username", "what", "rows", "supporter_id"]
    list_filter = ["what"]


register_permission_policy(PersonalDataAccess, AccessLogPermissionPolicy(PersonalDataAccess))


@hooks.register("register_admin_viewset")
def register_access_log_viewset():
    return AccessLogViewSet("personal_data_access")


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboundMessageViewSet("email_outbox")


class EmailDeliveryForm(forms.Form):
    deliver_to_targets = forms.BooleanField(
        required=False, label="Deliver messages to the targets (otherwise to the review address)"
    )
    review_address = forms.EmailField(required=False, label="Review address for this campaign")
    confirm = forms.BooleanField(
        required=False, label="I have read the preview below and want this change to take effect now"
    )

    def clean(self):
        data = super().clean()
        if not data.get("confirm"):
            self.add_error("confirm", "Tick to confirm: the change applies to every message from now on.")
        return data


def _campaign_or_404(page_id):
    page = Page.objects.filter(pk=page_id).first()
    if page is None or not hasattr(page.specific, "email_campaign"):
        raise Http404("No such campaign")
    return page


def _previews(draft_page, campaign, *, live: bool, review_to: str) -> list[dict]:
    """Every target's message as a sample supporter would send it, and where it would go."""
    sample = Supporter(
        first_name="Jane", last_name="Doe", city="San Jose", postal_code="95110", email="jane@example.org"
    )
    sender = f"{from_name(supporter=sample, sender_name=campaign.sender_name)} <{campaign_address()}>"
    drafts = draft_page.email_drafts(
        campaign, supporter=sample, personal_note="My own family went through this.", hints=False
    )
    return [
        {
            "draft": draft,
            "to": draft.target.email if live and not draft.target.verify_before_launch else review_to,
            "unverified": draft.target.verify_before_launch,
            "delivery": draft.target.get_delivery_display(),
            "from": sender,
        }
        for draft in drafts
    ]


def email_delivery_view(request, page_id: int):
    """One campaign's email delivery: the live switch (with a confirmation and a log) and a
    preview of every target's message as a sample supporter would send it.

    Only users who may publish the page may switch; anyone who may edit it may look.
    """
    page = _campaign_or_404(page_id)
    permissions = page.permissions_for_user(request.user)
    if not permissions.can_edit():
        raise PermissionDenied
    delivery = CampaignDelivery.objects.filter(campaign_id=page.pk).first()
    live, review_to = delivery_for(campaign_id=page.pk)
    if request.method == "POST":
        if not permissions.can_publish():
            raise PermissionDenied
        form = EmailDeliveryForm(request.POST)
        if form.is_valid():
            delivery_switch(
                campaign_id=page.pk,
                deliver_to_targets=form.cleaned_data["deliver_to_targets"],
                review_address=form.cleaned_data["review_address"],
                user=request.user,
            )
            state = "to the targets" if form.cleaned_data["deliver_to_targets"] else "to the review address only"
            admin_messages.success(request, f"Messages for “{page.title}” now go {state}.")
            return redirect("actions_email_delivery", page_id=page.pk)
    else:
        form = EmailDeliveryForm(
            initial={"deliver_to_targets": live, "review_address": delivery.review_address if delivery else ""}
        )
    draft_page = page.get_latest_revision_as_object() if page.has_unpublished_changes else page.specific
    campaign = draft_page.email_campaign(request) if draft_page.email_step() else None
    previews = _previews(draft_page, campaign, live=live, review_to=review_to) if campaign else []
    return TemplateResponse(
        request,
        "actions/admin/email_delivery.html",
        {
            "page": page,
            "form": form,
            "live": live,
            "review_to": review_to,
            "delivery": delivery,
            "switches": DeliverySwitch.objects.filter(campaign_id=page.pk).select_related("switched_by")[:20],
            "previews": previews,
            "has_email_step": campaign is not None,
            "can_switch": permissions.can_publish(),
            "counts": OutboundMessage.objects.filter(campaign_id=page.pk)
            .values("status", "review")
            .annotate(n=Count("id"))
            .order_by("status"),
        },
    )


@hooks.register("register_admin_urls")
def register_email_delivery_urls():
    return [path("email-delivery/<int:page_id>/", email_delivery_view, name="actions_email_delivery")]


def _email_delivery_button(page, priority):
    if not hasattr(page.specific_class or object, "email_campaign"):
        return None
    return Button(
        "Email delivery and preview",
        reverse("actions_email_delivery", args=[page.pk]),
        icon_name="mail",
        priority=priority,
    )


@hooks.register("register_page_header_buttons")
def email_delivery_header_button(page, user, view_name, next_url=None):
    button = _email_delivery_button(page, priority=40)
    if button and page.permissions_for_user(user).can_edit():
        yield button


@hooks.register("register_page_listing_more_buttons")
def email_delivery_listing_button(page, user, next_url=None):
    button = _email_delivery_button(page, priority=45)
    if button and page.permissions_for_user(user).can_edit():
        yield button


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
