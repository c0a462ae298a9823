"""Partners and the embeddable action (partners/): the embed's form token and CSP reports.

Imported by ``base``; every value is read through the one ``env`` (see ``.env.example``).
"""

from ._env import env

# How long the form in an embed stays valid (seconds). The embed has no CSRF cookie (a frame on
# another site gets none); a signed token with this lifetime stands in for it.
EMBED_TOKEN_MAX_AGE = env.int("EMBED_TOKEN_MAX_AGE", default=4 * 3600)

# Where browsers send Content-Security-Policy violation reports (a refused frame, mostly).
CSP_REPORT_PATH = "/csp-report/"
