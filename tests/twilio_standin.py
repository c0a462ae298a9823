"""A stand-in for Twilio: its REST API on a local port, and Twilio's side of the webhooks.

``TwilioStandIn`` answers ``POST /2010-04-01/Accounts/<sid>/Calls.json`` as Twilio does and
records each request; the engine reaches it through the real ``twilio`` client (pointed here by
TWILIO_API_BASE_URL). ``TwilioDriver`` then plays Twilio: it POSTs to the URLs the engine gave,
signed with the test auth token by twilio's own RequestValidator, and reads back the TwiML.
"""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import requests
from twilio.request_validator import RequestValidator

from actions.calls.models import CallMode, CallSwitch

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-twilio-auth-token"
CALLER_ID = "+14085550100"


class TwilioStandIn:
    def __init__(self):
        self.calls = []
        self.fail_with = None  # an HTTP status to answer the next call with
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if standin.fail_with:
                    status, body = standin.fail_with, {"code": 20500, "message": "Service unavailable", "status": 503}
                else:
                    sid = "CA" + uuid.uuid4().hex
                    standin.calls.append({"path": self.path, "auth": self.headers.get("Authorization"), **form})
                    status = 201
                    body = {"sid": sid, "status": "queued", "to": form.get("To"), "from": form.get("From")}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class TwilioDriver:
    """Twilio's side of the webhooks: signed POSTs to the engine, TwiML parsed back."""

    def __init__(self, client=None):
        """With a Django test ``client``, POSTs go through it; without one, over real HTTP to a
        live server, as Twilio's do."""
        self.client = client
        self.validator = RequestValidator(AUTH_TOKEN)

    def post(self, url: str, signed: bool = True, **params):
        params = {key: str(value) for key, value in params.items()}
        signature = self.validator.compute_signature(url, params) if signed else None
        if self.client is None:
            headers = {"X-Twilio-Signature": signature} if signed else {}
            return requests.post(url, data=params, headers=headers, timeout=10)
        headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signed else {}
        return self.client.post(urlsplit(url).path, params, **headers)

    def twiml(self, url: str, **params) -> ElementTree.Element:
        response = self.post(url, **params)
        assert response.status_code == 200, response.content[:500]
        assert response.headers["Content-Type"].startswith("text/xml")
        return ElementTree.fromstring(response.content)


def redirect_of(twiml) -> str:
    return twiml.find("Redirect").text


def calls_switch(campaign, mode=CallMode.LIVE, **fields):
    return CallSwitch.objects.create(campaign=campaign, mode=mode, **fields)
