"""Petition settings: confirming signatures by email, the delivery package for the targets, and
the time limits of the organisers' background exports (the package and large XLSX files).

Imported by ``base``; every value is read through the one ``env`` (see ``.env.example``).
Confirmation is off for every campaign until an editor ticks "ask signers to confirm by email"
on the campaign page; these values only shape it once it is on.
"""

from ._env import env

# --- Confirmation by email (actions/confirmation.py) --------------------------------------------
# A confirmation link works for this many seconds; an older one offers to send a fresh link.
CONFIRM_LINK_MAX_AGE = env.int("CONFIRM_LINK_MAX_AGE", default=7 * 24 * 60 * 60)
# One reminder goes to a signer who has not confirmed this many hours after signing; never two.
CONFIRM_REMINDER_HOURS = env.float("CONFIRM_REMINDER_HOURS", default=24.0)
# "Send me a new link" from an expired link sends at most one email per this many seconds.
CONFIRM_RESEND_SECONDS = env.int("CONFIRM_RESEND_SECONDS", default=10 * 60)

# --- The delivery package (reports/delivery_package/) -------------------------------------------
# The PDF's fonts (TrueType/OpenType, embedded in every PDF); empty finds them under fonts/ in the
# checkout or in the Debian font packages that scripts/fonts.sh installs.
DELIVERY_FONT_DIRS = env.list("DELIVERY_FONT_DIRS", default=[])
# A worker builds one package for at most this many seconds (its own Celery time limit: a petition
# of 100,000 names takes well under a minute, far over the default task limit's comfort).
DELIVERY_TASK_TIME_LIMIT = env.int("DELIVERY_TASK_TIME_LIMIT", default=30 * 60)

# --- Background exports (reports/views/export_jobs.py) ------------------------------------------
# A job no worker has claimed after this many seconds (broker down, no worker) shows as timed
# out; one whose worker died shows so once its time limit has passed.
EXPORT_JOB_QUEUE_MAX_SECONDS = env.int("EXPORT_JOB_QUEUE_MAX_SECONDS", default=2 * 60 * 60)
