"""The Celery application.

Settings come from Django's settings under the ``CELERY_`` prefix, tasks are found in each
app's ``tasks.py``, and workers log through Django's LOGGING configuration.
"""

import os

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings.dev")

app = Celery("advocacy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _use_django_logging(**kwargs):
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@task_prerun.connect
@task_postrun.connect
def _database_connections_tidy(task=None, **kwargs):
    """Between tasks, apply Django's own connection rules (CONN_MAX_AGE, health checks).

    Celery's Django fixup would close the connection around every task; with
    ``CELERY_DB_REUSE_MAX`` set it leaves that to us, so a worker keeps one connection as a web
    worker does and a task no longer pays a new connection each time. Eager tasks (tests) run
    inside the caller's transaction and are left alone.
    """
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
