from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Supporter actions"

    def ready(self):
        from . import webhooks  # noqa: F401  (connects the anymail tracking receiver)
