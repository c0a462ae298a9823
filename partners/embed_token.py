"""The embed's form token: a signed, expiring stand-in for the CSRF cookie.

A campaign's embed is shown in a frame on a partner's site, where browsers send no cookie of
ours (third-party cookies are blocked), so Django's CSRF cookie cannot work there. The form
carries this token instead: it names the campaign and the partner it was shown for and when,
and is refused when missing, forged, for another campaign or older than
``EMBED_TOKEN_MAX_AGE``. Nothing about the supporter is in it.
"""

from django.conf import settings
from django.core import signing

_SALT = "partners.embed.form"
FIELD = "embed_token"


class EmbedTokenError(Exception):
    """The token is missing, forged, expired or for another campaign; ``reason`` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def embed_token(*, campaign_id: int, partner_id: int | None) -> str:
    return signing.dumps({"c": campaign_id, "p": partner_id}, salt=_SALT, compress=False)


def embed_token_read(token: str, *, campaign_id: int) -> int | None:
    """The partner id the form was shown for (or None); raises EmbedTokenError when refused."""
    if not token:
        raise EmbedTokenError("missing")
    try:
        data = signing.loads(token, salt=_SALT, max_age=settings.EMBED_TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise EmbedTokenError("expired") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise EmbedTokenError("forged") from None
    if not isinstance(data, dict) or data.get("c") != campaign_id:
        raise EmbedTokenError("forged")
    partner_id = data.get("p")
    return partner_id if isinstance(partner_id, int) else None
