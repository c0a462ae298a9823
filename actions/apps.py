from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Supporter actions"

    def ready(self):
        from . import (
            pii,
            webhooks,  # noqa: F401  (connects the anymail tracking receiver)
        )

        # Refuse to start without usable encryption keys (a clear ImproperlyConfigured).
        pii.check_keys()
