"""Petition settings: confirming signatures by email, and the delivery package for the targets.

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
