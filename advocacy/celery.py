"""The Celery application.

Settings come from Django's settings under the ``CELERY_`` prefix, tasks are found in each
app's ``tasks.py``, and workers log through Django's LOGGING configuration.
"""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings.dev")

app = Celery("advocacy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _use_django_logging(**kwargs):
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
