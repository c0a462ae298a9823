"""A local HTTP server standing in for Twilio's REST API (``Calls.json``) on 127.0.0.1.

The engine's real ``twilio`` client reaches it through TWILIO_API_BASE_URL, so placing a call in
the call bench goes through the client as it ships. It accepts every call, answers as Twilio does
(201 with a call SID) and keeps the form of each request, so the bench can play Twilio's side of
the webhooks at the URLs the engine gave. Nothing leaves the machine.
"""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):  # quiet: the bench prints its own table
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        form = {key: values[-1] for key, values in parse_qs(body).items()}
        sid = "CA" + uuid.uuid4().hex
        self.server.placed.append(form)
        data = json.dumps({"sid": sid, "status": "queued", "to": form.get("To"), "from": form.get("From")}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class TwilioStandIn:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.placed = []
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def placed(self) -> list[dict]:
        """The form of every call the engine asked for, oldest first."""
        return self.server.placed

    def start(self) -> "TwilioStandIn":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
