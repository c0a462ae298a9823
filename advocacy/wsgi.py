import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings.dev")

application = get_wsgi_application()

# After Django is set up: its start-up objects are never garbage, so full collections skip them
# (advocacy/gc_tuning.py). Each gunicorn worker imports this module after forking, so each
# freezes its own.
from advocacy.gc_tuning import freeze_startup_objects  # noqa: E402

freeze_startup_objects()
