"""Signed links to a supporter's own data page.

The link carries only the supporter's opaque UUID, signed with a salt used for nothing else and
stamped with the time, so it expires (``SUPPORTER_DATA_LINK_MAX_AGE``) and cannot be forged or
reused as a recognition cookie.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Supporter

_DATA_LINK_SALT = "actions.privacy.supporter-data-link"


def supporter_data_token(supporter: Supporter) -> str:
    return signing.dumps(supporter.uuid.hex, salt=_DATA_LINK_SALT, compress=False)


def supporter_data_path(supporter: Supporter) -> str:
    """The path for emails to link to (prefix it with the site's base URL)."""
    return reverse("supporter_data", args=[supporter_data_token(supporter)])


def supporter_from_token(token: str) -> Supporter | None:
    try:
        value = signing.loads(token, salt=_DATA_LINK_SALT, max_age=settings.SUPPORTER_DATA_LINK_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(value, str) or len(value) != 32:
        return None
    return Supporter.objects.filter(uuid=value, anonymised_at__isnull=True).first()
