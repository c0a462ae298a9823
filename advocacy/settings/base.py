"""Settings shared by every environment, one block per concern.

Every value that differs between machines is read through the one django-environ ``env``
(``_env.py``); ``.env.example`` lists each variable. Here, in order: core Django, applications,
middleware, templates, database, static and media files, the Wagtail admin, supporters and
one-click links, abuse and rate limits, privacy and retention, organiser reports. Each other
concern has its own module, imported at the top: Redis and Celery with the whole beat schedule
(``_celery.py``), email and the outbox (``_email.py``), calls (``_calls.py``), webhooks and the
API (``_integrations.py``), the page and site caches (``_page_cache.py``), partners
(``_partners.py``), petition confirmation and delivery (``_petition.py``), personal data
encryption keys (``_pii.py``), security headers and logging (``_security.py``), languages
(``_i18n.py``). ``dev``, ``test`` and ``production`` start from this module and change only
what differs there.
"""

from django.core.exceptions import ImproperlyConfigured

from ._calls import *  # noqa: F403
from ._celery import *  # noqa: F403
from ._email import *  # noqa: F403
from ._env import BASE_DIR, VAR_DIR, env
from ._i18n import *  # noqa: F403
from ._integrations import *  # noqa: F403
from ._page_cache import *  # noqa: F403
from ._partners import *  # noqa: F403
from ._petition import *  # noqa: F403
from ._pii import *  # noqa: F403
from ._security import *  # noqa: F403

# --- Core Django --------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=None)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
ROOT_URLCONF = "advocacy.urls"
WSGI_APPLICATION = "advocacy.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
TIME_ZONE = env("TIME_ZONE", default="America/Los_Angeles")
USE_TZ = True

# --- Applications -------------------------------------------------------------------------------

INSTALLED_APPS = [
    "cms",
    "actions",
    "reports",
    "events",
    "partners",
    "integrations",
    "anymail",
    "rest_framework",
    "csp",
    # The editors' translation workflow (segments, sync, publish per locale; see _i18n.py).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
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

# --- Middleware ---------------------------------------------------------------------------------

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "advocacy.csp.SitePolicyMiddleware",
    # Early, so a database outage anywhere below becomes the plain 503 page (see advocacy/faults.py).
    "advocacy.faults.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the URL's prefix (none: English); sets Content-Language (see _i18n.py).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Just before CSRF: a campaign's embed POST (framed on a partner's site, where the browser
    # sends no cookie) is checked by its own signed form token instead (partners/embed_token.py).
    "partners.middleware.EmbedCsrfMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Before the page cache, so every page request (cached or not) finds its Wagtail Site without
    # a query; see cms/site_cache.py for how a changed Site or page is noticed.
    "cms.site_cache.SiteLookupMiddleware",
    # Last: it caches first-time visitors' campaign page HTML (PAGE_CACHE_SECONDS, below).
    "cms.page_cache.PageCacheMiddleware",
]

# --- Templates ----------------------------------------------------------------------------------

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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend; its health check asks the server only when the socket says something
    # happened (advocacy/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "advocacy.postgresql"
# The first-signature statement is prepared once per connection (actions/first_signature.py).
# Behind PgBouncer in transaction mode that needs PgBouncer 1.21+ with max_prepared_statements
# set; with an older pooler, set DATABASE_PREPARED_STATEMENTS=0.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a worker writes; the timeout waits out short locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )

# --- Cache (Redis) and Celery: in _celery.py (imported at the top) ------------------------

# --- Static and media files ---------------------------------------------------------------------

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Built exports (supporters' data): private, served only by a signed, expiring link.
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("EXPORTS_ROOT", default=str(VAR_DIR / "exports"))},
    },
}

# --- Wagtail admin ------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = env("WAGTAIL_SITE_NAME", default="Advocacy")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
# Where advocacy/urls.py mounts the admin; the admin gets its own security policy (advocacy/csp.py).
WAGTAIL_ADMIN_PATH_PREFIX = "/admin/"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Wagtail's page editor posts several fields per StreamField block: a long page passes Django's
# default limit of 1000.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Admin sign-in goes through a form that throttles attempts (actions/admin_login.py; the limits
# are admin_login_* in RATE_LIMITS below).
WAGTAILADMIN_USER_LOGIN_FORM = "actions.admin_login.ThrottledLoginForm"
# No avatars fetched from a third party (it would send a hash of each editor's email there).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor the admin's update check, which calls a third-party server from editors' browsers.
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Security headers and logging: in _security.py (imported at the top) ---------------------

# --- Email and the outbox -----------------------------------------------------------------------
# In _email.py (imported at the top): the provider, its credentials and the outbox's retries.

# --- Phone numbers and the call bridge ----------------------------------------------------------
# In _calls.py (imported at the top): the default region, Twilio's credentials and the limits.

# --- Supporters, calls, one-click links and sharing ---------------------------------------------

# Events (events/): a kiosk link works for this many seconds after the organiser opened it (and
# never after the event ends); the kiosk's thank-you shows this many seconds before the next form.
KIOSK_LINK_MAX_AGE = env.int("KIOSK_LINK_MAX_AGE", default=60 * 60 * 24 * 3)
KIOSK_THANKS_SECONDS = env.int("KIOSK_THANKS_SECONDS", default=6)

# The recognition cookie holds only a signed, opaque supporter id.
SUPPORTER_COOKIE_NAME = "supporter"
SUPPORTER_COOKIE_MAX_AGE = env.int("SUPPORTER_COOKIE_MAX_AGE", default=60 * 60 * 24 * 365)
# One-click links in emails to supporters expire after this many seconds (default 30 days).
ACTION_LINK_MAX_AGE = env.int("ACTION_LINK_MAX_AGE", default=60 * 60 * 24 * 30)
# At most this many emails to one supporter's address a day: their address is typed into a public
# form, so without a cap anyone could have us mail someone else over and over.
SUPPORTER_EMAILS_PER_DAY = env.int("SUPPORTER_EMAILS_PER_DAY", default=10)

# --- Abuse and rate limits ----------------------------------------------------------------------

# Submissions faster than this many seconds after the form was shown are stored but flagged.
SIGN_MIN_SECONDS = env.float("SIGN_MIN_SECONDS", default=3.0)
# Over the per-address limit, a crowd is told from a script (actions/crowd.py): a form filled in
# faster than this is scripted, and recent attempts from the address within this window are compared.
CROWD_MIN_FILL_SECONDS = env.float("CROWD_MIN_FILL_SECONDS", default=4.0)
CROWD_WINDOW_SECONDS = env.int("CROWD_WINDOW_SECONDS", default=600)
# An action flagged over the per-address limit is released when its supporter later acts,
# counted, from another address (actions/release.py), if that happens within this many days.
FLAG_RELEASE_DAYS = env.int("FLAG_RELEASE_DAYS", default=7)
# Proxies whose X-Forwarded-For is believed (addresses or networks), e.g. 10.0.0.0/8.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Request bodies larger than this are refused with a 400 before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)


def _rate_limit(name: str, default: tuple) -> tuple:
    """RATE_LIMIT_<NAME>="burst/seconds,sustained/seconds" from the environment, else the default."""
    variable = f"RATE_LIMIT_{name.upper()}"
    raw = env(variable, default="")
    if not raw:
        return default
    try:
        (burst, burst_seconds), (sustained, sustained_seconds) = (
            [int(number) for number in part.split("/")] for part in raw.split(",")
        )
    except ValueError:
        raise ImproperlyConfigured(f"{variable} must look like 10/60,200/3600 (got {raw!r})") from None
    if burst_seconds <= 0 or sustained_seconds <= 0:
        raise ImproperlyConfigured(f"{variable}: the seconds of each window must be positive")
    return (burst, burst_seconds, sustained, sustained_seconds)


# (burst, burst_seconds, sustained, sustained_seconds) per scope, each overridable from the
# environment as RATE_LIMIT_<NAME>, e.g. RATE_LIMIT_SIGN_ADDRESS="10/60,200/3600".
# Every public action has a limit per client address (keyed hash) and per normalised email, both
# per campaign: "<kind>_address" and "<kind>_email" (read by actions/ratelimit.py). Over a limit, an
# action is stored but flagged and not counted; the supporter sees the usual success.
RATE_LIMITS = {
    name: _rate_limit(name, default)
    for name, default in {
        "sign_address": (10, 60, 200, 3600),
        "sign_email": (3, 60, 10, 3600),
        "email_address": (10, 60, 100, 3600),  # over it, the messages go to the review address
        "email_email": (3, 60, 10, 3600),
        "call_address": (20, 60, 120, 3600),  # call outcomes
        "call_email": (10, 60, 40, 3600),
        "call_me_address": (3, 600, 10, 86400),  # "Call me" requests: each costs money; over it, refused
        "share_address": (20, 60, 200, 3600),  # shares logged
        "share_email": (10, 60, 60, 3600),
        # Attempts over "<kind>_address" that still look like a crowd (actions/crowd.py): a
        # rally's size per address, past which even a crowd is flagged.
        "crowd_address": (60, 60, 600, 3600),
        # Admin sign-in attempts per username and per client address; over them, refused.
        "admin_login_user": (5, 300, 20, 3600),
        "admin_login_address": (20, 300, 100, 3600),
        # CSP violation reports per client address (partners/csp_reports.py); over it, dropped.
        "csp_report_address": (20, 60, 200, 3600),
    }.items()
}

# --- Privacy and retention ----------------------------------------------------------------------

# Client addresses are never stored in clear: only an HMAC keyed with this value.
CLIENT_ADDRESS_HASH_KEY = env("CLIENT_ADDRESS_HASH_KEY", default="")
# Keyed address hashes are blanked on actions older than this (rate limits need only hours).
CLIENT_ADDRESS_RETENTION_DAYS = env.int("CLIENT_ADDRESS_RETENTION_DAYS", default=30)
# Supporters' personal data is anonymised this many months after a campaign closes; totals stay.
PERSONAL_DATA_RETENTION_MONTHS = env.int("PERSONAL_DATA_RETENTION_MONTHS", default=6)
# How long a supporter's signed "your data" link works.
SUPPORTER_DATA_LINK_MAX_AGE = env.int("SUPPORTER_DATA_LINK_MAX_AGE", default=60 * 60 * 24 * 30)

# --- Organiser reports --------------------------------------------------------------------------
# The morning digest to the Organisers group, at DIGEST_HOUR in TIME_ZONE (the campaign's time);
# the "reports-digest" entry of CELERY_BEAT_SCHEDULE checks hourly whether it is due.

DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)
# Larger XLSX exports are built by a worker; the file and its signed link last EXPORT_FILE_MAX_AGE s.
XLSX_BACKGROUND_ROWS = env.int("XLSX_BACKGROUND_ROWS", default=20_000)
EXPORT_FILE_MAX_AGE = env.int("EXPORT_FILE_MAX_AGE", default=24 * 60 * 60)
