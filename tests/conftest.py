"""Shared fixtures: real PostgreSQL or SQLite (from DATABASE_URL), real Redis, real Chromium.

When a service a test needs is missing, the test is skipped with the reason, except under
REQUIRE_SERVICES=1 (CI), where a missing service fails the run instead.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.core.cache import cache

# Playwright's sync API runs an event loop in the test thread; Django's ORM then refuses to
# run there unless told this thread is not actually async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1, so this is a failure, not a skip)")
    pytest.skip(reason)


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_url() -> str:
    """A reachable Redis: REDIS_URL, else TEST_REDIS_URL, else the local default (database 15)."""
    url = os.environ.get("REDIS_URL") or os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"
    if not _reachable(url):
        _missing(f"Redis is not reachable at {url}")
    return url


@pytest.fixture
def celery_worker_on_redis(redis_url, transactional_db):
    """A real Celery worker (in a thread of this process) consuming from real Redis."""
    from celery.contrib.testing.worker import start_worker

    from advocacy.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=redis_url, task_always_eager=False)
    _reset_connections(app)
    with app.connection_for_write() as connection:
        connection.default_channel.client.flushdb()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
            yield worker
    finally:
        app.conf.update(**saved)
        _reset_connections(app)


def _reset_connections(app):
    # Celery caches its connection and producer pools; drop them so the new broker URL is used.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        _missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


# --- Browser journeys (issue 8) -------------------------------------------------------------------


@pytest.fixture
def desktop_page(browser):
    """A laptop-sized page in its own context (cookies and storage start empty)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshots(request):
    """Numbered step pictures for this test in SCREENSHOT_DIR/<test name>/ (git-ignored)."""
    from tests.browser.journeys import Screenshots

    return Screenshots(request.node.name.replace("[", "-").rstrip("]"))
