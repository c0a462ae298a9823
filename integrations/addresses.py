"""Receivers must be on the public internet: a webhook URL that names (or resolves to) a
loopback, private, link-local or otherwise internal address is refused, so an organiser's
account cannot be used to make our workers post into the host's own network.

Checked when a subscription is saved and again before every post (a name may be pointed
somewhere else later). ``WEBHOOK_ALLOW_PRIVATE_ADDRESSES`` (and DEBUG) lift the rule for local
development and the tests' own receivers.
"""

import ipaddress
import socket

from django.conf import settings
from django.core.exceptions import ValidationError


def private_allowed() -> bool:
    return settings.DEBUG or settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES


def _internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def public_host_check(host: str, port: int | None) -> None:
    """ValidationError unless every address ``host`` resolves to is a public one."""
    if private_allowed():
        return
    try:
        infos = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise ValidationError("We could not find this receiver's host name.", code="host") from None
    if not infos or any(_internal(info[4][0]) for info in infos):
        raise ValidationError(
            "Webhook receivers must be on the public internet, not a private or local address.", code="private"
        )
