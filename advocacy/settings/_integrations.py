"""Integrations: signed outgoing webhooks and the OSDI API (the ``integrations`` app).

Webhook deliveries are rows posted by workers on their own Celery queue (``-Q webhooks``), so a
slow receiver never holds up the email queue or a supporter's request.
"""

from ._env import env

# --- Outgoing webhooks ---------------------------------------------------------------------------

# Seconds to connect to, and then to hear back from, a receiver; anything slower is a failure.
WEBHOOK_CONNECT_TIMEOUT = env.float("WEBHOOK_CONNECT_TIMEOUT", default=3.0)
WEBHOOK_READ_TIMEOUT = env.float("WEBHOOK_READ_TIMEOUT", default=5.0)
# Attempts per delivery before it is failed for good; the wait doubles each time (with jitter)
# from the base up to the cap: 12 attempts at 30 s .. 1 h span a little over half a day.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=12)
WEBHOOK_BACKOFF_BASE_SECONDS = env.float("WEBHOOK_BACKOFF_BASE_SECONDS", default=30.0)
WEBHOOK_BACKOFF_MAX_SECONDS = env.float("WEBHOOK_BACKOFF_MAX_SECONDS", default=3600.0)
# A subscription whose deliveries have failed without a success for this long is paused, and
# its organiser told by email.
WEBHOOK_PAUSE_AFTER_SECONDS = env.int("WEBHOOK_PAUSE_AFTER_SECONDS", default=24 * 60 * 60)
WEBHOOK_BATCH_SIZE = env.int("WEBHOOK_BATCH_SIZE", default=50)
# A burst of new rows wakes one task per batch of them, at most this many per subscription.
WEBHOOK_WAKE_MAX = env.int("WEBHOOK_WAKE_MAX", default=4)
# A delivery left "sending" this long (its worker died) goes back in the queue.
WEBHOOK_LEASE_SECONDS = env.int("WEBHOOK_LEASE_SECONDS", default=300)
WEBHOOK_RELAY_SECONDS = env.float("WEBHOOK_RELAY_SECONDS", default=30.0)
# Receivers must use https unless this is off (it is off in DEBUG and in tests).
WEBHOOK_REQUIRE_HTTPS = env.bool("WEBHOOK_REQUIRE_HTTPS", default=True)
# Receivers on loopback, private or link-local addresses are refused (integrations/addresses.py)
# unless this is on (DEBUG allows them too): only for a receiver on the host's own network.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=False)
# How long a process keeps its list of active subscriptions before reading it again.
WEBHOOK_SUBSCRIPTIONS_TTL = env.float("WEBHOOK_SUBSCRIPTIONS_TTL", default=5.0)
# Characters of a receiver's answer kept on the delivery row, for the admin.
WEBHOOK_RESPONSE_EXCERPT = 500

# Merged into CELERY_TASK_ROUTES and CELERY_BEAT_SCHEDULE in base.py.
WEBHOOK_TASK_ROUTES = {
    "integrations.tasks.webhooks_send": {"queue": "webhooks"},
}
WEBHOOK_BEAT_SCHEDULE = {
    # Requeue deliveries whose worker died, wake workers for due ones, pause failing subscriptions.
    "webhooks-relay": {
        "task": "integrations.tasks.webhooks_relay",
        "schedule": WEBHOOK_RELAY_SECONDS,
        "options": {"expires": 60},
    },
    "goals-check": {
        "task": "integrations.tasks.goals_check",
        "schedule": 60,
        "options": {"expires": 50},
    },
}

# --- The OSDI API ---------------------------------------------------------------------------------

OSDI_PAGE_SIZE = env.int("OSDI_PAGE_SIZE", default=25)
OSDI_MAX_PAGE_SIZE = 100
# Requests per token: (burst limit, burst seconds, sustained limit, sustained seconds), as RATE_LIMITS.
OSDI_RATE_LIMIT = (env.int("OSDI_RATE_BURST", default=60), 10, env.int("OSDI_RATE_PER_HOUR", default=5000), 3600)
