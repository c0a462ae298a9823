"""Recognising a returning supporter in this browser.

The cookie carries only the supporter's opaque UUID, signed with a purpose-specific salt; no name
or email ever goes into it. It is HTTP-only and same-site.
"""

import hashlib
import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings

from .models import Supporter

_COOKIE_SALT = "actions.recognition.supporter-cookie"


def supporter_from_request(request) -> Supporter | None:
    value = request.get_signed_cookie(
        settings.SUPPORTER_COOKIE_NAME,
        default=None,
        salt=_COOKIE_SALT,
        max_age=settings.SUPPORTER_COOKIE_MAX_AGE,
    )
    if not value:
        return None
    return Supporter.objects.filter(uuid=value).first() if _is_uuid(value) else None


def _is_uuid(value: str) -> bool:
    return len(value) == 32 and all(c in "0123456789abcdef" for c in value)


def remember_supporter(request, response, supporter: Supporter) -> None:
    response.set_signed_cookie(
        settings.SUPPORTER_COOKIE_NAME,
        supporter.uuid.hex,
        salt=_COOKIE_SALT,
        max_age=settings.SUPPORTER_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def forget_supporter(response) -> None:
    response.delete_cookie(settings.SUPPORTER_COOKIE_NAME, samesite="Lax")


def client_address(request) -> str:
    """The client's IP address.

    ``X-Forwarded-For`` is believed only when the direct peer is one of ``TRUSTED_PROXIES``;
    then the right-most address not itself a trusted proxy is the client.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXIES
    if not trusted or not _in_networks(peer, trusted):
        return peer
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if not _in_networks(address, trusted):
            return address if _is_ip(address) else peer
    return peer


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _in_networks(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _parsed_networks(tuple(networks)))


@lru_cache(maxsize=8)
def _parsed_networks(networks: tuple[str, ...]) -> tuple:
    """``TRUSTED_PROXIES`` parsed once per process, not once per address on every request."""
    return tuple(ipaddress.ip_network(net, strict=False) for net in networks)


def address_hash(address: str) -> str:
    """A keyed hash of a client address: comparable for rate limits, useless if leaked."""
    if not address:
        return ""
    key = (settings.CLIENT_ADDRESS_HASH_KEY or settings.SECRET_KEY).encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()
