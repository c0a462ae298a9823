"""Local development: debug on, a fixed insecure key, mail printed to the console."""

from ._local_static import *  # noqa: F403
from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
CLIENT_ADDRESS_HASH_KEY = env("CLIENT_ADDRESS_HASH_KEY", default="dev-only-address-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
# Public development keys (never use them in production): see _pii.py.
PII_KEYS = env.list("PII_KEYS", default=["ZGV2LW9ubHktcGlpLWtleS1ub3Qtc2VjcmV0LTMyYnk="])
PII_INDEX_KEY = env("PII_INDEX_KEY", default="ZGV2LW9ubHktaW5kZXgta2V5LW5vdC1zZWNyZXQtMzI=")
