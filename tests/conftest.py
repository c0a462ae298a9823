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


def pytest_configure(config):
    """The interface's compiled catalogues (.mo), built from the .po files as `make test` does,
    so a bare pytest run reads the same translations (advocacy/catalogues.py)."""
    from advocacy.catalogues import catalogues_compile

    catalogues_compile()


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
    from actions import publish
    from cms import page_cache, site_cache
    from cms import views as cms_views

    def forget():
        # The shared cache and each process's memory of it (recent wake-ups, the versions it
        # trusts for a second) start empty, so no test inherits another's.
        cache.clear()
        publish._published_at.clear()
        page_cache._generation[:] = [None, 0.0]
        page_cache._local.clear()
        cms_views._recent.clear()
        site_cache._last_read[:] = [None, 0.0]

    forget()
    yield
    forget()


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


@pytest.fixture
def celery_broker(redis_url, transactional_db):
    """Celery publishing to real Redis (no worker): tasks wait in the queue until a worker runs.

    Yields the broker's Redis client, emptied first.
    """
    from advocacy.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=redis_url, task_always_eager=False)
    _reset_connections(app)
    try:
        with app.connection_for_write() as connection:
            client = connection.default_channel.client
            client.flushdb()
            yield client
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


# --- Issue 4: recognised supporters ---------------------------------------------------------------


@pytest.fixture
def recognise():
    """recognise(client, supporter): give a test client the signed supporter cookie a real
    browser gets after its first action."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from actions.recognition import remember_supporter

    def _recognise(client, supporter):
        response = HttpResponse()
        remember_supporter(RequestFactory().get("/"), response, supporter)
        client.cookies.update(response.cookies)
        return client

    return _recognise


# --- Email: a local stand-in for the email provider's HTTP API (Postmark's shape) ----------------


class ProviderStandIn:
    """A small HTTP server that answers like Postmark's /email endpoint and records each request.

    ``script`` holds the HTTP statuses to answer with, in order (then 200 for ever), so tests can
    make the provider fail the way real providers do. Only the provider is stood in for: the real
    anymail backend builds and posts the request over real HTTP.

    ``hold_next()`` makes the next request wait, already recorded as accepted, until ``release()``:
    a sender caught mid-request, as when a worker is killed while the provider is answering.
    """

    def __init__(self):
        import json
        import threading
        import uuid
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.requests = []
        self.script = []
        self.lock = threading.Lock()
        self.held = threading.Event()  # set when a held request has arrived
        self._hold: threading.Event | None = None
        standin = self

        class Handler(BaseHTTPRequestHandler):
            # Kept-alive connections, as a real provider's: a sender that reuses its connection
            # sends every request of a batch over one socket (``client_port`` tells them apart).
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                hold = None
                with standin.lock:
                    status = standin.script.pop(0) if standin.script else 200
                    if status == 200:
                        standin.requests.append(standin.recorded(self, payload))
                    if standin._hold is not None and not standin.held.is_set():
                        hold = standin._hold
                        standin.held.set()
                if hold is not None:
                    hold.wait(timeout=120)
                if status == 200:
                    body = {
                        "To": payload.get("To", ""),
                        "SubmittedAt": "2026-11-27T12:00:00Z",
                        "MessageID": str(uuid.uuid4()),
                        "ErrorCode": 0,
                        "Message": "OK",
                    }
                elif status == 422:
                    body = {"ErrorCode": 300, "Message": f"Invalid 'To' address: '{payload.get('To', '')}'."}
                else:
                    body = {"ErrorCode": 100, "Message": "Service unavailable, try again."}
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the sender went away while held (killed mid-request)
                    pass

            def log_message(self, *args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    @staticmethod
    def recorded(handler, payload) -> dict:
        """What a test may check of one accepted request (``client_port``: which connection)."""
        return {
            "path": handler.path,
            "headers": dict(handler.headers),
            "json": payload,
            "client_port": handler.client_address[1],
        }

    def hold_next(self):
        import threading

        self.held.clear()
        self._hold = threading.Event()

    def release(self):
        if self._hold is not None:
            self._hold.set()

    def close(self):
        self.release()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider_standin(settings):
    """Route email through anymail's real Postmark backend to a local ProviderStandIn."""
    standin = ProviderStandIn()
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "test-token", "POSTMARK_API_URL": standin.url}
    settings.EMAIL_MAX_TAGS = 1
    yield standin
    standin.close()


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


# --- Twilio (issue 15) ----------------------------------------------------------------------------


@pytest.fixture
def twilio_standin(settings):
    """Twilio's REST API on a local port, reached through the real twilio client."""
    from tests.twilio_standin import ACCOUNT_SID, AUTH_TOKEN, CALLER_ID, TwilioStandIn

    standin = TwilioStandIn()
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_CALLER_ID = CALLER_ID
    settings.TWILIO_API_BASE_URL = standin.url
    settings.TWILIO_WEBHOOK_BASE_URL = ""
    yield standin
    standin.close()


@pytest.fixture
def twilio():
    """Twilio's side of the webhooks: its own client, with CSRF checks on (the webhooks are exempt)."""
    from django.test import Client

    from tests.twilio_standin import TwilioDriver

    return TwilioDriver(Client(enforce_csrf_checks=True))
