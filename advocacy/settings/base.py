"""Settings shared by every environment.

Every value that differs between machines is read from the environment through the one
django-environ ``env`` below; ``.env.example`` lists each variable with a comment.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env file is optional; the process environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=None)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -------------------------------------------------------------------------------

INSTALLED_APPS = [
    "cms",
    "actions",
    "reports",
    "anymail",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "advocacy.urls"
WSGI_APPLICATION = "advocacy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# DATABASE_URL, e.g. postgres://user@127.0.0.1:5432/advocacy. Without it, a SQLite file under
# the ignored var/ folder, so a newcomer needs no database server.

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'advocacy.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a worker writes; the timeout waits out short locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache -------------------------------------------------------------
# REDIS_URL, e.g. redis://127.0.0.1:6379/0. When it is unset, Celery runs every task eagerly
# (after the transaction commits, in the web process) and the cache is per-process memory.

REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "advocacy",
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -------------------------------------------------------------------------------------
# Read by advocacy/celery.py through the CELERY_ namespace.

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

TOTALS_REFRESH_SECONDS = env.float("TOTALS_REFRESH_SECONDS", default=2.0)
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
}

# --- Email (django-anymail) ---------------------------------------------------------------------
# EMAIL_BACKEND picks the provider, e.g. anymail.backends.postmark.EmailBackend; its credentials
# go in ANYMAIL (see .env.example). Locally the console backend prints messages.

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Free Kang Hen <campaign@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ANYMAIL = {
    key: value
    for key, value in {
        "POSTMARK_SERVER_TOKEN": env("POSTMARK_SERVER_TOKEN", default=""),
        "POSTMARK_API_URL": env("POSTMARK_API_URL", default=""),
        "MAILGUN_API_KEY": env("MAILGUN_API_KEY", default=""),
        "MAILGUN_SENDER_DOMAIN": env("MAILGUN_SENDER_DOMAIN", default=""),
        "MAILGUN_API_URL": env("MAILGUN_API_URL", default=""),
        "SENDGRID_API_KEY": env("SENDGRID_API_KEY", default=""),
        "WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", default=""),
    }.items()
    if value
}

# --- Internationalisation -----------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="America/Los_Angeles")
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------------------------

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail ------------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = env("WAGTAIL_SITE_NAME", default="Advocacy")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# --- Supporters ---------------------------------------------------------------------------------

# The recognition cookie holds only a signed, opaque supporter id.
SUPPORTER_COOKIE_NAME = "supporter"
SUPPORTER_COOKIE_MAX_AGE = env.int("SUPPORTER_COOKIE_MAX_AGE", default=60 * 60 * 24 * 365)
# Client addresses are never stored in clear: only an HMAC keyed with this value.
CLIENT_ADDRESS_HASH_KEY = env("CLIENT_ADDRESS_HASH_KEY", default="")

# --- Logging ------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Abuse --------------------------------------------------------------------------------------

# Submissions faster than this many seconds after the form was shown are stored but flagged.
SIGN_MIN_SECONDS = env.float("SIGN_MIN_SECONDS", default=3.0)
# Proxies whose X-Forwarded-For is believed (addresses or networks), e.g. 10.0.0.0/8.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Rate limits: (burst, burst_seconds, sustained, sustained_seconds) per scope. Over a limit, an
# action is stored but flagged and not counted; the supporter sees the usual success.
RATE_LIMITS = {
    "sign_address": (10, 60, 200, 3600),  # per client address (keyed hash), per campaign
    "sign_email": (3, 60, 10, 3600),  # per normalised email, per campaign
    "call_supporter": (10, 60, 40, 3600),  # call outcomes per supporter
    "call_address": (20, 60, 120, 3600),  # call outcomes per client address
}

# --- Organiser reports (reports app) ------------------------------------------------------------
# The morning digest to the Organisers group, at DIGEST_HOUR in TIME_ZONE (the campaign's time).

DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)
CELERY_BEAT_SCHEDULE["reports-digest"] = {
    "task": "reports.tasks.digest_send",
    # Beat keeps UTC (CELERY_TIMEZONE); the task runs hourly and sends once the campaign's local
    # clock has passed DIGEST_HOUR, so daylight saving and a missed run both sort themselves out.
    "schedule": crontab(minute=5),
    "options": {"expires": 6 * 60 * 60},
}
