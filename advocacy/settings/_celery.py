"""Redis (the cache and Celery's broker) and Celery: queues, routes and the whole beat schedule.

Imported at the top of base.py; ``test`` changes only whether tasks run eagerly.
"""

from celery.schedules import crontab
from kombu import Queue

from ._email import EMAIL_RELAY_SECONDS
from ._env import env
from ._integrations import WEBHOOK_BEAT_SCHEDULE, WEBHOOK_TASK_ROUTES

# --- Cache (Redis) ------------------------------------------------------------------------------
# REDIS_URL, e.g. redis://127.0.0.1:6379/0, is both the cache and the Celery broker. When it is
# unset, the cache is per-process memory and Celery runs every task eagerly (see Celery below).

REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            # Degrades to no cache when Redis is down (see advocacy/cache.py).
            "BACKEND": "advocacy.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
            "KEY_PREFIX": "advocacy",
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -------------------------------------------------------------------------------------
# Read by advocacy/celery.py through the CELERY_ namespace. The broker is REDIS_URL; without it
# every task runs eagerly, after the transaction commits, in the web process.

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None  # results are never read: rows in the database are the truth
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=120)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=100)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Sending and webhooks have their own queues (`-Q email`, `-Q webhooks`); a worker without -Q takes all.
CELERY_TASK_QUEUES = (Queue("celery"), Queue("email"), Queue("webhooks"))
CELERY_TASK_ROUTES = {
    "actions.tasks.messages_send": {"queue": "email"},
    "actions.tasks.message_send": {"queue": "email"},
    "actions.tasks.digests_send": {"queue": "email"},
    **WEBHOOK_TASK_ROUTES,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A task that is acknowledged late is redelivered if its worker dies; only tasks that are safe
# to run twice opt in (see actions/tasks.py). Redelivery waits for the visibility timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must never hang a supporter's request when Redis is down: fail fast, the
# periodic relay and totals tasks pick the work up from the database later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
# Celery's Django fixup closes the database connection around every task unless this is set: in
# the bench profile a new connection per task was half of each email's send time. With it, a
# worker's connection follows CONN_MAX_AGE and health checks like a web worker's (see
# advocacy/celery.py); the fixup still recycles it after this many tasks.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)

# How often the stored totals take in newly committed actions, in seconds.
TOTALS_REFRESH_SECONDS = env.float("TOTALS_REFRESH_SECONDS", default=2.0)
# Every periodic task. Each expires well before its next run, so a backlog never piles up.
CELERY_BEAT_SCHEDULE = {
    "totals-refresh": {
        "task": "actions.tasks.totals_refresh",
        "schedule": TOTALS_REFRESH_SECONDS,
        "options": {"expires": 10},
    },
    "totals-reconcile": {
        "task": "actions.tasks.totals_reconcile",
        "schedule": 60 * 60,
        "options": {"expires": 30 * 60},
    },
    "flags-release": {
        "task": "actions.tasks.flags_release",
        "schedule": 10 * 60,
        "options": {"expires": 5 * 60},
    },
    "outbox-relay": {
        "task": "actions.tasks.outbox_relay",
        "schedule": EMAIL_RELAY_SECONDS,
        "options": {"expires": 60},
    },
    # Each target's daily digest of messages, sent once it is due.
    "digests-send": {
        "task": "actions.tasks.digests_send",
        "schedule": 5 * 60,
        "options": {"expires": 4 * 60},
    },
    # Call-bridge sessions Twilio never reported the end of are closed (and their number blanked).
    "call-sessions-close": {
        "task": "actions.tasks.call_sessions_close",
        "schedule": 5 * 60,
        "options": {"expires": 4 * 60},
    },
    # "Call me when they open": placed at the first office's opening time.
    "call-callbacks-fire": {
        "task": "actions.tasks.call_callbacks_fire",
        "schedule": 60,
        "options": {"expires": 50},
    },
    # One reminder to signers who have not confirmed their signature (campaigns that ask for it).
    "confirmation-reminders-send": {
        "task": "actions.tasks.confirmation_reminders_send",
        "schedule": 15 * 60,
        "options": {"expires": 10 * 60},
    },
    "client-addresses-purge": {
        "task": "actions.tasks.client_addresses_purge",
        "schedule": 60 * 60 * 6,
        "options": {"expires": 60 * 60},
    },
    "personal-data-retention": {
        "task": "cms.tasks.personal_data_retention",
        "schedule": 60 * 60 * 24,
        "options": {"expires": 60 * 60 * 6},
    },
    "reports-digest": {
        "task": "reports.tasks.digest_send",
        # Beat keeps UTC (CELERY_TIMEZONE); the task runs hourly and sends once the campaign's
        # local clock has passed DIGEST_HOUR, so daylight saving and a missed run both sort
        # themselves out.
        "schedule": crontab(minute=5),
        "options": {"expires": 6 * 60 * 60},
    },
    "reports-exports-expire": {
        "task": "reports.tasks.exports_expire",
        "schedule": 60 * 60,
        "options": {"expires": 30 * 60},
    },
    **WEBHOOK_BEAT_SCHEDULE,
}
