import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings.dev")

application = get_wsgi_application()

# After Django is set up, and before the first request: the tables Django would fill during a
# visitor's request (reverse URLs per language, catalogues, templates; advocacy/warmup.py), then
# the start-up objects set aside from full garbage collections (advocacy/gc_tuning.py). Each
# gunicorn worker imports this module after forking, so each does its own.
from advocacy.gc_tuning import freeze_startup_objects  # noqa: E402
from advocacy.warmup import warm_up  # noqa: E402

warm_up()
freeze_startup_objects()
