"""The cms app: connects the page-cache and site-cache invalidation to Wagtail's signals on start-up."""

from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Campaign pages"

    def ready(self):
        from wagtail.signals import copy_for_translation_done, page_published, page_unpublished

        from . import page_cache, site_cache, translation_services

        page_published.connect(page_cache.forget_all, dispatch_uid="cms-page-cache-published")
        page_unpublished.connect(page_cache.forget_all, dispatch_uid="cms-page-cache-unpublished")
        site_cache.connect_signals()
        copy_for_translation_done.connect(
            translation_services.translation_review_flag, dispatch_uid="cms-translation-needs-review"
        )
        translation_services.review_flag_unsynced()
