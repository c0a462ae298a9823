"""Security headers (the Content Security Policy of public pages) and logging.

Imported by ``base``; every value is read through the one ``env`` (see ``.env.example``).
"""

from ._env import env

# --- Security headers ---------------------------------------------------------------------------
# HTTPS, HSTS and secure cookies are production's (production.py). The policy for public pages:
# our own origin only, no inline script or style; video embeds may come from the providers listed
# in CSP_FRAME_SRC. The admin's wider policy is built from this one in advocacy/csp.py.

SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": env.list(
            "CSP_FRAME_SRC",
            default=["https://www.youtube-nocookie.com", "https://www.youtube.com", "https://player.vimeo.com"],
        ),
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        # Refused frames and other violations are reported here and logged (partners/csp_reports.py).
        "report-uri": ["/csp-report/"],
    }
}

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
