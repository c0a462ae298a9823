"""Twilio through its official ``twilio`` package: placing a call and checking webhook signatures.

``twilio_configured()`` says whether the account's SID and token are set; without them the bridge
is off and the call step offers ``tel:`` links only. ``TWILIO_API_BASE_URL`` (tests and stand-ins
only) sends the REST client's requests to another origin; everything else is Twilio's client
as it ships.
"""

import logging
from urllib.parse import urlsplit

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

logger = logging.getLogger(__name__)

REST_TIMEOUT_SECONDS = 10


class CallProviderError(Exception):
    """Twilio could not be asked to place the call (unreachable, refused, misconfigured)."""


def twilio_configured() -> bool:
    return bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN)


class BaseUrlHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, with every ``https://*.twilio.com`` origin replaced by ``base_url``."""

    def __init__(self, base_url: str, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        parts = urlsplit(url)
        if parts.hostname and parts.hostname.endswith(".twilio.com"):
            url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().request(method, url, *args, **kwargs)


def twilio_client() -> Client:
    base = settings.TWILIO_API_BASE_URL
    http_client = (
        BaseUrlHttpClient(base, timeout=REST_TIMEOUT_SECONDS)
        if base
        else TwilioHttpClient(timeout=REST_TIMEOUT_SECONDS)
    )
    return Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client)


def call_place(*, to: str, caller_id: str, answer_url: str, status_url: str, ring_seconds: int) -> str:
    """Ask Twilio to ring ``to``; its call SID. Raises CallProviderError when Twilio cannot be asked."""
    try:
        call = twilio_client().calls.create(
            to=to,
            from_=caller_id,
            url=answer_url,
            method="POST",
            status_callback=status_url,
            status_callback_method="POST",
            status_callback_event=["initiated", "ringing", "answered", "completed"],
            timeout=ring_seconds,
        )
    except (TwilioException, requests.RequestException) as error:
        logger.warning("twilio call not placed: %s", type(error).__name__)
        raise CallProviderError(str(type(error).__name__)) from error
    return call.sid


def signature_valid(*, url: str, params: dict, signature: str) -> bool:
    """Twilio's RequestValidator over the full URL Twilio called and the POSTed fields."""
    if not signature or not settings.TWILIO_AUTH_TOKEN:
        return False
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, params, signature)
