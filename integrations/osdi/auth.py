"""Who is calling the OSDI API, what they may do, and how often: DRF authentication, permission
and throttle classes, each small.

A request without a valid ``OSDI-API-Token`` gets 401; a valid token without the view's scope
gets 403; over the per-token limit, 429. Tokens are looked up by their SHA-256
(``integrations.tokens``), never stored in clear.
"""

from django.conf import settings
from rest_framework import authentication, exceptions, permissions, throttling

from actions.ratelimit import Limit, hit

from ..tokens import token_find

HEADER = "OSDI-API-Token"


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        raw = request.headers.get(HEADER, "").strip()
        if not raw:
            return None
        token = token_find(raw)
        if token is None:
            raise exceptions.AuthenticationFailed("Unknown or revoked API token.")
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) when the token is missing or wrong.
        return f'{HEADER} realm="osdi"'


class HasScope(permissions.BasePermission):
    """The view's ``required_scope`` (per method in ``required_scopes``) must be on the token."""

    message = "This API token does not have the scope this request needs."

    def has_permission(self, request, view):
        token = request.auth
        if token is None:
            raise exceptions.NotAuthenticated(f"Send an {HEADER} header.")
        scope = view.required_scopes.get(request.method, view.required_scopes.get("GET"))
        return scope is None or scope in token.scopes


class PerTokenThrottle(throttling.BaseThrottle):
    """Sliding-window limits per token (``OSDI_RATE_LIMIT``), counted in the shared cache."""

    def allow_request(self, request, view):
        if request.auth is None:
            return True
        return not hit(scope="osdi_token", key=str(request.auth.pk), limit=Limit(*settings.OSDI_RATE_LIMIT))

    def wait(self):
        return settings.OSDI_RATE_LIMIT[1]
