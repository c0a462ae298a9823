"""Local development: debug on, a fixed insecure key, mail printed to the console."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import STATIC_ROOT, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
CLIENT_ADDRESS_HASH_KEY = env("CLIENT_ADDRESS_HASH_KEY", default="dev-only-address-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])

# Serve static files straight from the source folders (no collectstatic needed locally).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
