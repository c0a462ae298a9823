"""A local HTTP server standing in for the email provider (Postmark's API shape) on 127.0.0.1.

anymail's real postmark backend talks to it when ``ANYMAIL["POSTMARK_API_URL"]`` points here
(``bench/settings.py`` does that when BENCH_PROVIDER_URL is set), so the email pipeline is
measured through the real backend, its HTTP session and JSON parsing. It accepts every message,
answers like the provider does, and counts what it received; nothing leaves the machine.
"""

import json
import threading
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes; on a kept-alive connection Nagle's algorithm would
    # hold the body until the client's delayed ACK (40 ms), which a real provider does not cost.
    disable_nagle_algorithm = True

    def log_message(self, *args):  # quiet: the bench prints its own table
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        payload = json.loads(body or b"{}")
        messages = payload if isinstance(payload, list) else [payload]
        answers = [
            {
                "To": message.get("To", ""),
                "SubmittedAt": datetime.now(UTC).isoformat(),
                "MessageID": str(uuid.uuid4()),
                "ErrorCode": 0,
                "Message": "OK",
            }
            for message in messages
        ]
        self.server.count_messages(len(messages))
        data = json.dumps(answers if isinstance(payload, list) else answers[0]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class ProviderStandIn(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int):
        super().__init__(("127.0.0.1", port), _Handler)
        self.received = 0
        self._lock = threading.Lock()

    def count_messages(self, n: int) -> None:
        with self._lock:
            self.received += n

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def start(self) -> "ProviderStandIn":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
