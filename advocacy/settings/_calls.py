"""Call settings: phone numbers and the Twilio call bridge ("Call me" on the call step).

Imported by ``base``; every value is read through the one ``env`` (see ``.env.example``). Without
TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN the bridge is off: the call step offers ``tel:`` links
only, with no error. Even with them, no call is placed until an organiser turns calls on for a
campaign in the admin (Calls > Call switches), and until calls are live the bridge connects to
the campaign's review number instead of the offices.
"""

from ._env import env

# --- Phone numbers ------------------------------------------------------------------------------
# A number typed without a country code is read in this region (ISO 3166 code).
PHONE_DEFAULT_REGION = env("PHONE_DEFAULT_REGION", default="US")

# --- Twilio -------------------------------------------------------------------------------------
# The account's SID and auth token (the token also checks X-Twilio-Signature on every webhook),
# and the number calls come from unless a campaign sets its own caller ID.
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_CALLER_ID = env("TWILIO_CALLER_ID", default="")
# Where Twilio reaches our webhooks, e.g. https://act.example.org (no trailing slash). The
# signature covers the full URL Twilio called, so it must be the public one.
TWILIO_WEBHOOK_BASE_URL = env("TWILIO_WEBHOOK_BASE_URL", default="")
# Only for tests and stand-ins: send the REST API's requests to this base instead of Twilio's.
TWILIO_API_BASE_URL = env("TWILIO_API_BASE_URL", default="")
# A session that never reports back is closed by the beat after this many seconds.
CALL_SESSION_MAX_SECONDS = env.int("CALL_SESSION_MAX_SECONDS", default=60 * 60)
# No number is rung more than this many times a day by the bridge, whoever asks.
CALLS_PER_NUMBER_PER_DAY = env.int("CALLS_PER_NUMBER_PER_DAY", default=3)
# Seconds Twilio lets the supporter's phone and each office ring before "no answer".
CALL_RING_SECONDS = env.int("CALL_RING_SECONDS", default=30)
