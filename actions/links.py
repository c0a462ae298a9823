"""Signed, expiring one-click links for emails to supporters.

A link names one action kind on one campaign for one supporter, e.g. "sign campaign 12 as
supporter <uuid>". Its token is Django's ``TimestampSigner`` output over a small JSON payload:

- **A distinct salt per purpose** (``actions.links.<kind>``): a token made for one kind fails
  the signature check for any other kind, so a "share" link can never be replayed as a "sign".
- **At least 128 bits.** The signature is HMAC-SHA256 (Django's default signer algorithm),
  kept whole: 256 bits, base64-encoded as 43 characters. Forging one means guessing the HMAC
  key, which Django derives from ``SECRET_KEY`` and the salt; production requires a
  ``SECRET_KEY`` of at least 50 random characters (``manage.py check --deploy`` warns on less),
  which is well over 128 bits of entropy. So both the tag and the key exceed 128 bits.
- **Expiry**: the timestamp is signed with the payload; tokens older than
  ``settings.ACTION_LINK_MAX_AGE`` seconds (default 30 days) are refused.
- **Scope**: the campaign id and the supporter's opaque UUID are inside the signed payload;
  the page checks the campaign matches itself. No name or email is in the token.

A link only identifies what would happen: the page shows it with one button, and only the POST
acts (see ``cms/steps/one_click.py``), so a mail scanner following the link does nothing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from .models import ActionKind, Supporter

LINK_KINDS = (ActionKind.SIGN, ActionKind.EMAIL, ActionKind.CALL, ActionKind.SHARE)


class LinkError(Exception):
    """The link is expired, altered, for another purpose or for another campaign."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"; never shown raw to supporters


@dataclass(frozen=True)
class ActionLink:
    kind: str
    campaign_id: int
    supporter: Supporter


def _signer(kind: str) -> signing.TimestampSigner:
    if kind not in LINK_KINDS:
        raise ValueError(f"No one-click link for {kind!r}")
    return signing.TimestampSigner(salt=f"actions.links.{kind}", algorithm="sha256")


def action_link_token(*, kind: str, campaign_id: int, supporter: Supporter) -> str:
    return _signer(kind).sign_object({"c": campaign_id, "s": supporter.uuid.hex})


def action_link_url(*, campaign_url: str, kind: str, campaign_id: int, supporter: Supporter) -> str:
    """The one-click link to put in an email: ``<campaign page URL>go/<kind>/<token>/``, with
    the token's ``:`` separators written as ``/`` because Wagtail page paths allow only letters,
    digits, ``_`` and ``-`` in each segment (the token's base64 parts never contain ``/``).

    ``campaign_url`` is the page's full URL (``page.full_url``); ``actions`` never imports the
    page model, so callers pass it in. ``CampaignPage.one_click_url`` wraps this.
    """
    token = action_link_token(kind=kind, campaign_id=campaign_id, supporter=supporter)
    return f"{campaign_url.rstrip('/')}/go/{kind}/{token.replace(':', '/')}/"


def action_link_read(*, token: str, kind: str, campaign_id: int) -> ActionLink:
    """Check a token for this kind and campaign; raises LinkError when it must be refused."""
    try:
        payload = _signer(kind).unsign_object(token, max_age=settings.ACTION_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except (signing.BadSignature, ValueError):
        raise LinkError("invalid") from None
    if not isinstance(payload, dict) or payload.get("c") != campaign_id:
        raise LinkError("invalid")
    supporter = Supporter.objects.filter(uuid=str(payload.get("s", ""))).first() if payload.get("s") else None
    if supporter is None:
        raise LinkError("invalid")
    return ActionLink(kind=kind, campaign_id=campaign_id, supporter=supporter)
