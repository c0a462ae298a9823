"""Tests: real databases and Redis from the environment, fast hashing, anymail's test backend."""

from ._local_static import *  # noqa: F403
from .base import *  # noqa: F403
from .base import DATABASES, env

SECRET_KEY = "test-only-secret-key"
CLIENT_ADDRESS_HASH_KEY = "test-only-address-key"
# Public, fixed keys so that test rows are encrypted exactly as in production.
PII_KEYS = ["dGVzdC1vbmx5LXBpaS1rZXktMzItYnl0ZXMtbG9uZyE="]
PII_INDEX_KEY = "dGVzdC1vbmx5LWluZGV4LWtleS0zMi1ieXRlcy1sbmc="
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The tests' webhook receivers listen on loopback (a test turns the rule back on to check it).
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A named file lets a Celery worker thread and a live server see the same test database.
    DATABASES["default"]["TEST"] = {"NAME": env("SQLITE_TEST_NAME", default="/tmp/advocacy-test.sqlite3")}
MEDIA_ROOT = env("MEDIA_ROOT", default="/tmp/advocacy-test-media")

# Tasks run inline after commit unless a test starts a real worker (see tests/conftest.py, and
# TEST_CELERY_EAGER=0 for a worker process); the cache is real Redis whenever REDIS_URL is set.
CELERY_TASK_ALWAYS_EAGER = env.bool("TEST_CELERY_EAGER", default=True)

# A worker started as a separate process by a test (tests/abuse/test_worker_kill.py) is pointed
# at a stand-in for the provider through TEST_EMAIL_BACKEND and POSTMARK_API_URL; everything else
# uses anymail's test backend.
EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", default="anymail.backends.test.EmailBackend")
DEFAULT_FROM_EMAIL = "Free Kang Hen <campaign@example.org>"

SIGN_MIN_SECONDS = 0  # tests that check the time-to-fill flag set it themselves
# Page HTML caching is off by default in tests (a page changed mid-test must show its change);
# tests of the page cache turn it on with the `settings` fixture.
PAGE_CACHE_SECONDS = 0
