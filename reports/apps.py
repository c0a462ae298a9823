"""The reports app: organiser reports in the Wagtail admin, exports and the morning digest."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "Organiser reports"
