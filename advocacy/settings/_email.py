"""Email settings: the provider (django-anymail) and the outbox that delivers messages to targets.

Imported by ``base``; every value is read through the one ``env`` (see ``.env.example``).
"""

from ._env import env

# --- Provider -----------------------------------------------------------------------------------
# EMAIL_BACKEND picks the provider, e.g. anymail.backends.postmark.EmailBackend; its credentials
# go in ANYMAIL (see .env.example). Locally the console backend prints messages.

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Free Kang Hen <campaign@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Only the credentials that are set, so anymail's own defaults apply to the rest.
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
# Providers differ in how many tags a message may carry (Postmark: one).
EMAIL_MAX_TAGS = env.int("EMAIL_MAX_TAGS", default=1 if "postmark" in EMAIL_BACKEND else 5)

# --- Outbox: supporters' messages to targets ----------------------------------------------------
# Until an organiser switches a campaign to live delivery in the admin, every message goes to the
# review address below (or the campaign's own review address) and is marked "review".
EMAIL_REVIEW_ADDRESS = env("EMAIL_REVIEW_ADDRESS", default="review@localhost")
# A transient provider error is retried this many times in all, waiting about
# EMAIL_BACKOFF_SECONDS * 2**(attempt-1) (with jitter, at most EMAIL_BACKOFF_MAX_SECONDS) between.
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=6)
EMAIL_BACKOFF_SECONDS = env.float("EMAIL_BACKOFF_SECONDS", default=30.0)
EMAIL_BACKOFF_MAX_SECONDS = env.float("EMAIL_BACKOFF_MAX_SECONDS", default=60 * 60)
# A row left "sending" longer than this (its worker died) is put back in the queue by the relay.
# Keep it well above CELERY_TASK_TIME_LIMIT, so a slow but living worker is never overtaken.
EMAIL_LEASE_SECONDS = env.int("EMAIL_LEASE_SECONDS", default=300)
# How many due rows one worker claims (one UPDATE … RETURNING) and sends over one provider
# connection. Each row is still recorded as soon as the provider takes it.
EMAIL_BATCH_SIZE = env.int("EMAIL_BATCH_SIZE", default=50)
# How often the relay wakes workers for due rows (the "outbox-relay" entry of the beat schedule).
EMAIL_RELAY_SECONDS = env.float("EMAIL_RELAY_SECONDS", default=15.0)
