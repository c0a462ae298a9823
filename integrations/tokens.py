"""OSDI API tokens: created with scopes, stored only as a SHA-256, revocable, each use logged."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import ApiToken, ApiTokenUse

PREFIX = "osdi_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user, scopes, campaign_id: int | None = None, name: str = "") -> tuple[ApiToken, str]:
    """A new token and its clear value (shown once; only its hash is kept)."""
    scopes = list(dict.fromkeys(scopes or []))
    unknown = [scope for scope in scopes if scope not in ApiToken.Scope.values]
    if not scopes or unknown:
        raise ValidationError(f"Choose scopes from: {', '.join(ApiToken.Scope.values)}.", code="scopes")
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scopes=scopes,
        campaign_id=campaign_id,
        prefix=raw[: len(PREFIX) + 6],
        token_hash=token_hash(raw),
    )
    return token, raw


def token_find(raw: str) -> ApiToken | None:
    """The live token with this clear value, or None (unknown, revoked, or its user inactive)."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def token_revoke(*, token_id: int) -> bool:
    return bool(ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True).update(revoked_at=timezone.now()))


def token_use_log(*, token: ApiToken, client_address: str | None, method: str, path: str, status_code: int) -> None:
    """Record one request made with the token (time, client address, what, and the answer)."""
    now = timezone.now()
    ApiTokenUse.objects.create(
        token=token, client_address=client_address or None, method=method[:8], path=path[:300], status_code=status_code
    )
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
