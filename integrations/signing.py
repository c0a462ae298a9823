"""Signing webhook bodies: HMAC-SHA256 over ``"<timestamp>.<body>"`` with the subscription's secret.

The timestamp is signed with the body, so a receiver that refuses old timestamps also refuses a
replayed post. ``docs/api.md`` shows a receiver checking both, in Python and JavaScript.
"""

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Advocacy-Signature"
TIMESTAMP_HEADER = "X-Advocacy-Timestamp"
ID_HEADER = "Webhook-Id"
EVENT_HEADER = "X-Advocacy-Event"


def secret_new() -> str:
    """A fresh signing secret (shown to the organiser once)."""
    return "whsec_" + secrets.token_hex(24)


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The header value: ``sha256=<hex>`` of HMAC-SHA256(secret, b"<timestamp>." + body)."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def signature_valid(*, secret: str, timestamp: str, body: bytes, header: str, now: float, tolerance: int = 300) -> bool:
    """What a receiver checks: a fresh timestamp and a matching signature (compared in constant time)."""
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(now - stamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret=secret, timestamp=stamp, body=body), header or "")
