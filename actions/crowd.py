"""Crowds: many real people acting from one network address, told apart from a script.

A rally on shared Wi-Fi, a tablet at a stall or a carrier's NAT puts dozens of people behind
one client address within seconds, and the per-address burst limit alone would flag all but the
first few. So when an attempt is over the per-address limit (and only then: nothing here runs
on the ordinary path), ``crowd_reason`` weighs the evidence that it was scripted:

- ``agent``: no user agent, or one that is not a browser (``python-requests``, ``curl``,
  ``HeadlessChrome``, ...). Identical browser agents are *not* evidence: every person at a kiosk
  uses one tablet, and half a rally carries the same phone.
- ``instant``: the form came back sooner than ``CROWD_MIN_FILL_SECONDS`` after it was shown (a
  person with autofill needs several seconds), or without a valid start token.
- ``disposable``: a throwaway mail domain.
- ``pattern``: the email has the shape of another recent one from the address with only its
  numbers changed (``person1@``, ``person2@``), or the same full name came with another email.
- ``replay``: several attempts from the address carried the same form start token and user
  agent, i.e. one page load posted again and again.
- ``ceiling``: the address is over ``RATE_LIMITS["crowd_address"]`` too (a crowd has a size).

Any one of them keeps the ordinary ``rate-address`` flag; with none, the attempt counts. Recent
attempts are read from the action log (same campaign, kind and address hash, the last
``CROWD_WINDOW_SECONDS``) and, for tokens and agents, from a short list in the cache kept only
for attempts over the limit. Nothing here stores an email, a name or an address in clear.

Layer: bottom/support (models, ratelimit, text, fill_time); ``actions.intake`` calls it from
``flag_reason_decide``, the one place that decides a flag.
"""

import hashlib
import logging
import re
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .fill_time import seconds_since_started
from .models import Action
from .ratelimit import hit, limit_from_settings
from .text import email_key

logger = logging.getLogger(__name__)

ADDRESS_REASON = "rate-address"
PEERS_MAX = 50  # recent attempts compared with this one
REPLAYS_MAX = 3  # this many earlier attempts with the same start token and agent is a replay

_NOT_A_BROWSER = re.compile(
    r"headless|phantomjs|selenium|python|curl/|wget|go-http-client|java/|okhttp|node-fetch|axios|"
    r"httpclient|libwww|scrapy|bot\b|spider|crawl",
    re.IGNORECASE,
)
DISPOSABLE_DOMAINS = frozenset(
    """mailinator.com guerrillamail.com guerrillamail.net sharklasers.com grr.la 10minutemail.com
    temp-mail.org tempmail.com tempmailo.com yopmail.com trashmail.com getnada.com dispostable.com
    maildrop.cc mintemail.com throwawaymail.com fakeinbox.com mailnesia.com emailondeck.com
    moakt.com mohmal.com burnermail.io spamgourmet.com tempr.email discard.email""".split()
)
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Attempt:
    """One attempt as the crowd rule sees it. ``started`` is None on routes that show no form."""

    email: str
    name: str = ""
    user_agent: str = ""
    started: str | None = None


def email_shape(email: str) -> str:
    """The email with every run of digits made one '#': ``person12@x.org`` -> ``person#@x.org``."""
    return _DIGITS.sub("#", email_key(email))


def _name_key(name: str) -> str:
    return _SPACES.sub(" ", (name or "").casefold()).strip()


def _digest(value: str) -> str:
    return hashlib.blake2s(value.encode(), digest_size=8, key=b"crowd").hexdigest()


def agent_is_scripted(user_agent: str) -> bool:
    """True when the agent is missing or is not a person's browser."""
    agent = (user_agent or "").strip()
    return not agent.startswith("Mozilla/") or bool(_NOT_A_BROWSER.search(agent))


def fill_is_instant(started: str | None) -> bool:
    """True when a form came back faster than a person fills it (or its token is missing/forged)."""
    if started is None:
        return False
    elapsed = seconds_since_started(started)
    return elapsed is None or elapsed < settings.CROWD_MIN_FILL_SECONDS


def pattern_in(attempt: Attempt, peers) -> bool:
    """True when the email differs from a recent one only in its numbers, or the name repeats.

    ``peers`` are ``(email, first_name, last_name)`` of recent actions from the address.
    """
    key = email_key(attempt.email)
    shape = email_shape(attempt.email)
    name = _name_key(attempt.name)
    for peer_email, first, last in peers:
        peer_key = email_key(peer_email)
        if peer_key == key:
            continue  # the same person acting again
        if "#" in shape and _DIGITS.sub("#", peer_key) == shape:
            return True
        if name and _name_key(f"{first} {last}") == name:
            return True
    return False


def _recent_peers(*, kind: str, campaign_id: int, ip_hash: str) -> list[tuple[str, str, str]]:
    since = timezone.now() - timedelta(seconds=settings.CROWD_WINDOW_SECONDS)
    rows = (
        Action.objects.filter(campaign_id=campaign_id, kind=kind, ip_hash=ip_hash, created_at__gte=since)
        .order_by("-created_at")
        .values_list("supporter__email", "supporter__first_name", "supporter__last_name")
    )
    return list(rows[:PEERS_MAX])


def _redis_client():
    get_client = getattr(getattr(cache, "_cache", None), "get_client", None)
    return get_client(write=True) if get_client is not None else None


def _replays_note(*, campaign_id: int, ip_hash: str, attempt: Attempt) -> int:
    """Note this attempt's (start token, agent) and say how many earlier recent ones matched it."""
    if attempt.started is None:
        return 0
    mark = _digest(f"{attempt.started}|{attempt.user_agent}")
    key = f"crowd:{campaign_id}:{ip_hash}"
    lifetime = int(settings.CROWD_WINDOW_SECONDS) + 1
    try:
        client = _redis_client()
        if client is not None:
            full_key = cache.make_and_validate_key(key)
            pipe = client.pipeline(transaction=False)
            pipe.lrange(full_key, 0, PEERS_MAX - 1)
            pipe.lpush(full_key, mark)
            pipe.ltrim(full_key, 0, PEERS_MAX - 1)
            pipe.expire(full_key, lifetime)
            earlier = [item.decode() if isinstance(item, bytes) else item for item in pipe.execute()[0]]
        else:
            earlier = cache.get(key) or []
            cache.set(key, [mark, *earlier][:PEERS_MAX], timeout=lifetime)
    except Exception:
        logger.warning("crowd cache unavailable; replays not counted")
        return 0
    return earlier.count(mark)


def script_signal(*, kind: str, campaign_id: int, ip_hash: str, attempt: Attempt) -> str:
    """The first sign that this over-the-limit attempt was scripted, or "" when it looks like a crowd."""
    if agent_is_scripted(attempt.user_agent):
        return "agent"
    if fill_is_instant(attempt.started):
        return "instant"
    if email_key(attempt.email).rpartition("@")[2] in DISPOSABLE_DOMAINS:
        return "disposable"
    if _replays_note(campaign_id=campaign_id, ip_hash=ip_hash, attempt=attempt) >= REPLAYS_MAX:
        return "replay"
    if pattern_in(attempt, _recent_peers(kind=kind, campaign_id=campaign_id, ip_hash=ip_hash)):
        return "pattern"
    if hit(scope="crowd_address", key=f"{campaign_id}:{ip_hash}", limit=limit_from_settings("crowd_address")):
        return "ceiling"
    return ""


def crowd_reason(*, kind: str, campaign_id: int, ip_hash: str, attempt: Attempt) -> str:
    """For an attempt over the per-address limit: ``rate-address`` when it looks scripted, else ""."""
    started_at = time.monotonic()
    signal = script_signal(kind=kind, campaign_id=campaign_id, ip_hash=ip_hash, attempt=attempt)
    logger.info(
        "crowd check: kind=%s campaign=%s signal=%s ms=%.1f",
        kind,
        campaign_id,
        signal or "none",
        (time.monotonic() - started_at) * 1000,
    )
    return ADDRESS_REASON if signal else ""
