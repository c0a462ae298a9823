"""The headers that let one embed response be framed, and only by the sites allowed.

Every other response keeps ``X-Frame-Options: DENY`` and ``frame-ancestors 'none'`` (see
``advocacy/settings/_security.py``). An embed response drops X-Frame-Options (it cannot name
several sites, and browsers give ``frame-ancestors`` precedence anyway) and replaces only the
``frame-ancestors`` directive of the site's policy with the partner's origins. Browsers then
report a refused frame to ``CSP_REPORT_PATH``.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control


def embed_headers(response, *, origins: list[str]):
    response.xframe_options_exempt = True
    response._csp_replace = {
        "frame-ancestors": list(origins) or ["'none'"],
        "report-uri": [settings.CSP_REPORT_PATH],
    }
    # The form holds a token that expires: no shared cache may keep it.
    patch_cache_control(response, private=True, no_store=True)
    return response
