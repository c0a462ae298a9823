"""One-click unsubscribe for every email to a supporter (RFC 8058 and RFC 2369).

The token names one supporter (their opaque UUID) and one campaign, signed with a salt used for
nothing else. It does not expire: an unsubscribe link must keep working in an old email. It only
ever stops updates, so a leaked one can do no more than that.
"""

from urllib.parse import quote, urljoin

from django.core import signing
from django.urls import reverse

from .models import Supporter

_SALT = "actions.unsubscribe"


def unsubscribe_token(*, supporter: Supporter, campaign_id: int) -> str:
    return signing.dumps({"s": supporter.uuid.hex, "c": campaign_id}, salt=_SALT, compress=False)


def unsubscribe_read(token: str) -> tuple[Supporter, int] | None:
    """(supporter, campaign id) for a good token, else None."""
    try:
        value = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("c"), int) or not isinstance(value.get("s"), str):
        return None
    supporter = (
        Supporter.objects.filter(uuid=value["s"], anonymised_at__isnull=True).first() if len(value["s"]) == 32 else None
    )
    return (supporter, value["c"]) if supporter else None


def unsubscribe_url(*, base_url: str, supporter: Supporter, campaign_id: int) -> str:
    """The page's full URL; ``base_url`` is any absolute URL on the site (the campaign page's)."""
    path = reverse("unsubscribe", args=[unsubscribe_token(supporter=supporter, campaign_id=campaign_id)])
    return urljoin(base_url, path)


def unsubscribe_headers(*, url: str, mailbox: str) -> dict[str, str]:
    """``List-Unsubscribe`` with the https one-click URL and a mailto, and ``List-Unsubscribe-Post``."""
    mailto = f"mailto:{mailbox}?subject={quote('unsubscribe ' + url.rstrip('/').rpartition('/')[2], safe='')}"
    return {"List-Unsubscribe": f"<{url}>, <{mailto}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
