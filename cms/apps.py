from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Campaign pages"

    def ready(self):
        from . import site_cache

        site_cache.connect_signals()
