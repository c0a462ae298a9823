"""Fixtures for integrations: a local webhook receiver (a small HTTP server in a thread)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations import events


class WebhookReceiver:
    """Records every post (headers and the exact body bytes) and answers from ``script``
    (status codes, 200 once it is empty); ``delay`` seconds before answering."""

    def __init__(self):
        self.requests = []
        self.script = []
        self.delay = 0.0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    status = receiver.script.pop(0) if receiver.script else 200
                    receiver.requests.append({"headers": dict(self.headers), "body": body, "status": status})
                if receiver.delay:
                    threading.Event().wait(receiver.delay)
                answer = b'{"ok": true}' if status < 300 else b"receiver says no"
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def accepted(self) -> list:
        with self.lock:
            return [r for r in self.requests if r["status"] < 300]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def webhook_settings(settings):
    """Plain http to the local receiver, and retries fast enough for a test to watch."""
    settings.WEBHOOK_REQUIRE_HTTPS = False
    settings.WEBHOOK_BACKOFF_BASE_SECONDS = 0.05
    settings.WEBHOOK_BACKOFF_MAX_SECONDS = 0.2
    settings.WEBHOOK_SUBSCRIPTIONS_TTL = 0
    yield settings
    # This process's list of subscriptions must not outlive the test's rolled-back rows.
    events.subscriptions_forget()
