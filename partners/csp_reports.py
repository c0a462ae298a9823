"""``/csp-report/``: where browsers report Content-Security-Policy violations (a partner's embed
framed by a site not on its list, mostly). Logged, never stored; rate-limited per client
address; whatever arrives, the answer is 204 (or 429, 405), never a 500.

Only the violated directive, the page's address without its query string (which could hold a
supporter's data) and the blocked origin are logged; never the client address.
"""

import json
import logging
from urllib.parse import urlsplit

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from actions.ratelimit import hit, limit_from_settings
from actions.recognition import address_hash, client_address

logger = logging.getLogger(__name__)
MAX_BYTES = 16 * 1024


def _origin(url) -> str:
    if not isinstance(url, str):
        return ""
    parts = urlsplit(url[:500])
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else url[:40]


def _page(url) -> str:
    """The page's address without its query string or fragment (browsers may send only the
    origin, for a frame refused on another site)."""
    if not isinstance(url, str):
        return ""
    parts = urlsplit(url[:500])
    return f"{parts.scheme}://{parts.netloc}{parts.path}"[:200] if parts.netloc else parts.path[:200]


def _report(body: bytes) -> dict:
    """The violation from the legacy ``application/csp-report`` body or a Reporting API list."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    if isinstance(data, list) and data and isinstance(data[0], dict):
        data = data[0].get("body") or {}
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        data = data["csp-report"]
    return data if isinstance(data, dict) else {}


@csrf_exempt
@require_POST
def csp_report(request):
    ip_hash = address_hash(client_address(request))
    if hit(scope="csp_report_address", key=ip_hash or "none", limit=limit_from_settings("csp_report_address")):
        return HttpResponse(status=429)
    if len(request.body) > MAX_BYTES:
        return HttpResponse(status=413)
    report = _report(request.body)
    if report:
        directive = (
            report.get("effective-directive") or report.get("violated-directive") or report.get("effectiveDirective")
        )
        logger.warning(
            "csp violation: directive=%s page=%s blocked=%s",
            str(directive or "")[:60],
            _page(report.get("document-uri") or report.get("documentURL")),
            _origin(report.get("blocked-uri") or report.get("blockedURL")),
        )
    return HttpResponse(status=204)
