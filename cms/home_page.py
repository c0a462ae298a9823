"""The site's home page (one per language): an introduction, the live campaigns, and the
routing shortcut that finds a campaign without Wagtail's two queries.

Registered with Django through ``cms.models``, which imports it; it names ``CampaignPage``
through the app registry so the two modules never import each other.
"""

from django.apps import apps
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from . import site_cache, translations


class HomePage(Page):
    """The site's front page: a short introduction and the list of live campaigns."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cms.CampaignPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaigns"] = apps.get_model("cms", "CampaignPage").objects.live().public().child_of(self).specific()
        return context

    def route(self, request, path_components):
        """Find a child campaign already in its own class, remembered per process.

        Wagtail's ``Page.route`` finds the child as a plain ``Page`` and then asks for its
        ``specific`` form, two queries on every campaign request; campaigns are the only
        children a home page may have, so ask for them directly, and remember the answer until
        any page changes (``site_cache.child_for``). Anything else (a child of another type, no
        such slug) goes to Wagtail's own routing.
        """
        campaign_page = apps.get_model("cms", "CampaignPage")
        if path_components:
            child = site_cache.child_for(self, path_components[0], campaign_page)
            if child is not None:
                child._cached_parent_obj = self  # as Wagtail does, so get_parent() needs no query
                return child.route(request, path_components[1:])
            fallback = translations.default_language_route(self, request, path_components, campaign_page)
            if fallback is not None:
                return fallback
        return super().route(request, path_components)

    @property
    def localized(self):
        """The home page in the active language, remembered per process (``cms.translations``):
        Wagtail asks for it on every page request to route under the right language's tree."""
        return translations.localized(self, HomePage)
