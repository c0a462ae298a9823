"""Supporters' personal data at rest: the encryption keys and the blind-index key.

Imported by ``base``; every value is read through the one ``env`` (see ``.env.example``). ``dev``
and ``test`` set fixed, public, non-secret keys; ``production`` requires both variables and
``actions`` checks them at start-up (``actions.pii.check_keys``), so a deployment without
usable keys refuses to start instead of writing plaintext or unreadable rows.
"""

from ._env import env

# Comma-separated AES-256 keys, 32 bytes each in URL-safe base64. The first encrypts, every
# one decrypts: to rotate, put a new key first, deploy, run `manage.py pii_rotate`, then drop
# the old key. Never stored in the database.
PII_KEYS = env.list("PII_KEYS", default=[])
# A separate key for the HMAC that finds supporters by email (the blind index). Changing it
# needs every index recomputed (`manage.py pii_rotate --reindex`) before lookups work again.
PII_INDEX_KEY = env("PII_INDEX_KEY", default="")
# Only for measuring what encryption costs (bench): 0 writes new values in plaintext.
PII_ENCRYPTION = env.bool("PII_ENCRYPTION", default=True)
