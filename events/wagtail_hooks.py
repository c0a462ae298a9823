"""Events in the Wagtail admin: a snippet organisers create per campaign, each with its short
link, a printable sign and its QR code (SVG or PNG)."""

from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, PageChooserPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import paper_views, views
from .kiosk import kiosk_url
from .models import Event


def _links(event: Event):
    return format_html(
        '<a href="{}">{}</a> · <a href="{}">SVG</a> · <a href="{}">PNG</a> · <a href="{}">{}</a><br><code>/e/{}/</code>',
        reverse("events_print", args=[event.pk]),
        _("Print sign"),
        reverse("events_qr", args=[event.pk, "svg"]) + "?download=1",
        reverse("events_qr", args=[event.pk, "png"]) + "?download=1",
        kiosk_url(event),
        _("Kiosk link (open on the tablet)"),
        event.code,
    )


class EventViewSet(SnippetViewSet):
    """A SnippetViewSet gives organisers list, create, edit and delete views for events."""

    model = Event
    icon = "date"
    menu_label = _("Events")
    menu_order = 220
    add_to_admin_menu = True
    list_display = [
        "name",
        "place",
        "starts_at",
        "ends_at",
        Column("links", label=_("Link and QR code"), accessor=_links),
    ]
    list_filter = ["campaign"]
    panels = [
        PageChooserPanel("campaign", "cms.CampaignPage"),
        FieldPanel("name"),
        FieldPanel("place"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
    ]


register_snippet(EventViewSet)


@hooks.register("register_admin_urls")
def event_admin_urls():
    return [
        path("events/<int:pk>/print/", views.event_print, name="events_print"),
        path("events/<int:pk>/qr.<str:kind>", views.event_qr, name="events_qr"),
        path("paper-signatures/", paper_views.paper_index, name="paper_index"),
        path("paper-signatures/<int:pk>/", paper_views.paper_detail, name="paper_detail"),
    ]


class _PaperMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(paper_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def paper_menu_item():
    return _PaperMenuItem(_("Paper signatures"), reverse("paper_index"), icon_name="doc-full", order=230)
