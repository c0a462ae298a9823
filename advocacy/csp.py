"""Content Security Policy: strict on public pages, relaxed only where the Wagtail admin needs it.

django-csp builds the header from ``settings.CONTENT_SECURITY_POLICY``. Public pages allow only
our own scripts, styles and fonts (no 'unsafe-inline'), so injected markup cannot run. The
Wagtail admin ships inline styles and scripts of its own, so its pages get a wider policy that
still forbids other origins and framing.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings

ADMIN_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    # Wagtail's page preview frames the site inside the admin.
    "frame-ancestors": [SELF],
}


class SitePolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        # Wagtail renders a preview through a dummy request for the page's own URL, marked
        # is_preview; it is shown framed inside the admin, so it takes the admin's policy.
        in_admin = request.path_info.startswith(settings.WAGTAIL_ADMIN_PATH_PREFIX) or getattr(
            request, "is_preview", False
        )
        if not report_only and in_admin:
            parts.replace = {**ADMIN_REPLACE, **(parts.replace or {})}
        return parts
