"""The public URLs of Twilio's webhooks for one session.

Twilio signs the full URL it called, so these must be the URLs the world sees:
TWILIO_WEBHOOK_BASE_URL when set (behind a proxy, and for calls the beat places), else the
origin of the request at hand.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse


def public_url(request, path: str) -> str:
    base = settings.TWILIO_WEBHOOK_BASE_URL.rstrip("/")
    if base:
        return f"{base}{path}"
    if request is None:
        raise ImproperlyConfigured("TWILIO_WEBHOOK_BASE_URL is needed to place calls outside a request.")
    return request.build_absolute_uri(path)


def webhook_url(request, session, name: str, position: int | None = None) -> str:
    args = [session.pk] if position is None else [session.pk, position]
    return public_url(request, reverse(f"calls_twilio_{name}", args=args))
