"""Partners in the Wagtail admin: the snippet editors manage, and each partner's embed code."""

from django import forms
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import Partner, PartnerMembership
from .services import partner_organiser_sync


def _embed_link(partner: Partner):
    return format_html('<a href="{}">{}</a>', reverse("partners_embed_code", args=[partner.pk]), _("Embed code"))


class PartnerViewSet(SnippetViewSet):
    """A SnippetViewSet gives editors list, create, edit and delete views for partners."""

    model = Partner
    icon = "group"
    menu_label = _("Partners")
    menu_order = 225
    add_to_admin_menu = True
    list_display = ["name", "code", "website", Column("embed", label=_("Embed"), accessor=_embed_link)]
    search_fields = ["name", "code"]
    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("logo"),
        FieldPanel("website"),
        FieldPanel("allowed_domains"),
        FieldPanel("opt_in_text"),
        FieldPanel("campaigns", widget=forms.CheckboxSelectMultiple),
    ]


register_snippet(PartnerViewSet)


class PartnerMembershipViewSet(SnippetViewSet):
    """Organisers link a user to the one partner whose supporters they may see."""

    model = PartnerMembership
    icon = "user"
    menu_label = _("Partner organisers")
    menu_order = 227
    add_to_admin_menu = True
    list_display = ["user", "partner"]
    panels = [FieldPanel("user"), FieldPanel("partner")]


register_snippet(PartnerMembershipViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def membership_saved(request, instance):
    if isinstance(instance, PartnerMembership):
        partner_organiser_sync(user_id=instance.user_id)


@hooks.register("after_delete_snippet")
def membership_deleted(request, instances):
    for instance in instances:
        if isinstance(instance, PartnerMembership):
            partner_organiser_sync(user_id=instance.user_id)


@hooks.register("register_admin_urls")
def partner_admin_urls():
    return [path("partners/<int:pk>/embed-code/", admin_views.partner_embed_code, name="partners_embed_code")]
