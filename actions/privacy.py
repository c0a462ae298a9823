"""Signed links to a supporter's own data page.

The link carries only the supporter's opaque UUID, signed with a salt used for nothing else and
stamped with the time, so it expires (``SUPPORTER_DATA_LINK_MAX_AGE``) and cannot be forged or
reused as a recognition cookie.

Other apps add what they hold about a supporter to that page and its download through
``supporter_data_section_register`` (called from their ``AppConfig.ready``), so ``actions``
never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class DataSection:
    """One app's part of a supporter's data: ``read(supporter)`` gives JSON-ready rows (the
    download's ``key``); ``template``, if any, shows them on the page (as ``rows``). A ``consent``
    section's rows are consents, each with ``withdrawn_at`` (None while it stands), which the
    page's "stop updates" withdraws (``privacy_services.supporter_consent_withdraw``)."""

    key: str
    read: Callable[[Supporter], list]
    template: str = ""
    consent: bool = False


_SECTIONS: dict[str, DataSection] = {}
_RESERVED_KEYS = {"supporter", "actions"}


def supporter_data_section_register(
    key: str, read: Callable[[Supporter], list], *, template: str = "", consent: bool = False
) -> None:
    """Add a section to every supporter's data page and download. Registering a key again
    replaces it (``ready()`` may run more than once)."""
    if key in _RESERVED_KEYS:
        raise ValueError(f"{key!r} is already part of a supporter's data")
    _SECTIONS[key] = DataSection(key=key, read=read, template=template, consent=consent)


def supporter_data_sections(supporter: Supporter) -> dict[str, list]:
    """Every registered section's rows for one supporter, by key."""
    return {key: section.read(supporter) for key, section in _SECTIONS.items()}


def supporter_data_section_templates(data: dict) -> list[dict]:
    """The page's extra sections: each template with its rows from an export (``data``)."""
    return [
        {"template": section.template, "rows": data.get(key, [])}
        for key, section in _SECTIONS.items()
        if section.template
    ]


def supporter_data_consent_open(data: dict) -> bool:
    """Whether an export (``data``) holds a registered consent not yet withdrawn (a partner
    opt-in given after the supporter last stopped updates, say)."""
    return any(
        row.get("withdrawn_at") is None
        for key, section in _SECTIONS.items()
        if section.consent
        for row in data.get(key, [])
    )
