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
    # Wagtail's page preview frames the site inside the admin: the admin page may frame its own
    # origin (frame-src) and the preview may be framed by it (frame-ancestors).
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
            frame_src = [SELF, *settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].get("frame-src", [])]
            parts.replace = {**ADMIN_REPLACE, "frame-src": frame_src, **(parts.replace or {})}
        return parts

    def process_response(self, request, response):
        """Let the admin frame Wagtail's page preview.

        Wagtail renders a preview by running a fake request for the page's public URL through
        the whole middleware stack, so the preview response arrives here already carrying the
        public policy (``frame-ancestors 'none'``) and ``X-Frame-Options: DENY``, and the admin's
        own iframe would refuse it. Under the admin prefix only the framing rule is relaxed to our
        own origin; the rest of the public policy stays, so the preview runs as the page does.
        """
        if request.path_info.startswith(settings.WAGTAIL_ADMIN_PATH_PREFIX):
            if response.get("X-Frame-Options") == "DENY":
                response["X-Frame-Options"] = "SAMEORIGIN"
            policy = response.get("Content-Security-Policy")
            if policy and "frame-ancestors 'none'" in policy:
                response["Content-Security-Policy"] = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
        return super().process_response(request, response)
