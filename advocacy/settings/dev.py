"""Local development: debug on, a fixed insecure key, mail printed to the console."""

from ._local_static import *  # noqa: F403
from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
CLIENT_ADDRESS_HASH_KEY = env("CLIENT_ADDRESS_HASH_KEY", default="dev-only-address-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
