"""Let a campaign embed's POST through without the CSRF cookie; its own token guards it.

Django's CSRF check needs a cookie that a frame on another site never receives. For a POST to
a path ending in ``/embed/`` this marks the request as exempt, exactly as ``csrf_exempt`` would;
the embed view (``cms/steps/embed.py``) then refuses any POST without a valid signed token
(``partners.embed_token``). Only the campaign page has an ``embed/`` route, and it writes
nothing on a refused token.
"""

EMBED_SUFFIX = "/embed/"


class EmbedCsrfMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info.endswith(EMBED_SUFFIX):
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)
