"""A short-lived cache of campaign page HTML for first-time visitors, so a reload storm on a
viral campaign costs one page render per interval instead of one per visitor.

Only anonymous GETs without a query string are cached: no supporter cookie, no session, no
messages, not a Wagtail preview. The HTML is stored with placeholders where the CSRF token
and the form's start time go; each response gets fresh ones, so no visitor ever receives
another's token. Headers and cookies are never cached. A page opts in by rendering through
``render_cacheable``; ``PageCacheMiddleware`` serves hits before Wagtail routes the request.

When the shared copy goes stale under a reload storm, one request re-renders it while every
other request keeps getting the stale copy (for at most ``PAGE_CACHE_STALE_SECONDS`` more),
instead of every request that arrives during the render rendering too: a render costs about 25
times a hit's CPU, and sixteen at once stalled every visitor on a 2-core box.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.html import conditional_escape

from actions.fill_time import started_token

# Letters and digits only, so template autoescaping leaves them unchanged.
CSRF_PLACEHOLDER = "PageCacheCsrfToken7f3a91"
STARTED_PLACEHOLDER = "PageCacheStartedToken5c2e08"

logger = logging.getLogger(__name__)


def is_page_path(request) -> bool:
    """False for the paths that are never pages (``PAGE_CACHE_SKIP_PREFIXES``)."""
    return not request.path_info.startswith(settings.PAGE_CACHE_SKIP_PREFIXES)


def is_cacheable_request(request) -> bool:
    if request.method != "GET" or request.META.get("QUERY_STRING") or not is_page_path(request):
        return False
    if getattr(request, "is_preview", False):
        return False
    personal = (settings.SUPPORTER_COOKIE_NAME, settings.SESSION_COOKIE_NAME, "messages")
    return not any(name in request.COOKIES for name in personal)


GENERATION_KEY = "cms:page-html-generation"


# How long a process trusts the generation it last read. Publishing in this process is seen at
# once (``forget_all``); publishing elsewhere within this time, under the HTML's own lifetime.
GENERATION_TRUST_SECONDS = 1.0
_generation: list = [None, 0.0]  # [generation, monotonic time read]


def _current_generation():
    generation, read_at = _generation
    now = time.monotonic()
    if generation is not None and now - read_at < GENERATION_TRUST_SECONDS:
        return generation
    try:
        generation = cache.get(GENERATION_KEY, 0)
    except Exception:
        return 0
    _generation[:] = [generation, now]
    return generation


def cache_key(request) -> str:
    """Hashed (paths may hold any bytes) and tagged with the generation that publishing bumps.

    The active language is part of the key: the URL's prefix decides it for pages today, but a
    page rendered in one language must never be served to a request in another, however the
    language was chosen (LocaleMiddleware runs before this middleware)."""
    generation = _current_generation()
    language = translation.get_language() or ""
    raw = f"{request.get_host()}\n{language}\n{request.path}"
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()
    return f"cms:page-html2:{generation}:{digest}"


# key -> (HTML, monotonic time until which this process may serve it without asking the cache).
# A reload storm then costs one cache round trip per PAGE_CACHE_LOCAL_SECONDS per process
# instead of one per view (the round trip was a third of a cached page view's time). The key
# holds the generation, so a publish anywhere is seen as soon as this process rereads it.
_local: dict[str, tuple[str, float]] = {}
LOCAL_MAX_PAGES = 256


def _local_get(key: str) -> str | None:
    held = _local.get(key)
    return held[0] if held is not None and time.monotonic() < held[1] else None


def _local_put(key: str, html: str, fresh_for: float | None = None) -> None:
    """Keep the HTML in this process, never past the shared copy's freshness (``fresh_for``)."""
    seconds = min(settings.PAGE_CACHE_LOCAL_SECONDS, settings.PAGE_CACHE_SECONDS)
    if fresh_for is not None:
        seconds = min(seconds, fresh_for)
    if seconds <= 0:
        return
    if len(_local) >= LOCAL_MAX_PAGES:
        _local.clear()
    _local[key] = (html, time.monotonic() + seconds)


def forget_all(**kwargs) -> None:
    """Publishing or unpublishing any page makes every cached page stale at once, so an editor
    sees their change on the next load instead of up to PAGE_CACHE_SECONDS later."""
    _generation[:] = [None, 0.0]
    _local.clear()
    try:
        if not cache.add(GENERATION_KEY, 1, timeout=None):
            cache.incr(GENERATION_KEY)
    except Exception:
        logger.warning("cache unavailable; cached pages expire on their own")


def respond(request, html: str, *, status: int = 200) -> HttpResponse:
    """The cached (or just rendered) HTML with this visitor's own CSRF token and start time."""
    body = html.replace(CSRF_PLACEHOLDER, get_token(request)).replace(STARTED_PLACEHOLDER, started_token())
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


# The thanks page names its supporter: it is stored with this in place of the first name, and
# each supporter's response gets their own (escaped) instead. Letters and digits only, as above.
NAME_PLACEHOLDER = "PageCacheFirstName3b8d47"


def personal_cache_on(request) -> bool:
    return settings.PAGE_CACHE_SECONDS > 0 and not getattr(request, "is_preview", False)


def shared_html(request, variant: str, render) -> str | None:
    """The placeholder HTML of this request's page (host, language, path, publish generation) in
    one ``variant``, from this process, the shared cache, or ``render()``; None when ``render``
    gives None (nothing to share). ``variant`` must name everything else the HTML depends on."""
    digest = hashlib.sha256(variant.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    key = f"{cache_key(request)}:{digest}"
    html = _local_get(key)
    if html is not None:
        return html
    entry = _shared_get(key)
    if entry is not None and entry[0] > time.time():
        _local_put(key, entry[1], entry[0] - time.time())
        return entry[1]
    html = render()
    if html is not None:
        _local_put(key, html)
        _shared_put(key, html)
    return html


def personal_respond(request, html: str, *, first_name: str) -> HttpResponse:
    """Shared placeholder HTML made this supporter's: their first name, escaped as the template
    would, and a CSRF token of their own only if the page has a form."""
    body = html.replace(NAME_PLACEHOLDER, conditional_escape(first_name))
    if CSRF_PLACEHOLDER in body:
        body = body.replace(CSRF_PLACEHOLDER, get_token(request))
    return HttpResponse(body, content_type="text/html; charset=utf-8")


def render_cacheable(request, template_response) -> HttpResponse:
    """Render a response whose template used the placeholders, answer this request from it,
    and hand the placeholder HTML to the middleware to store."""
    template_response.render()
    html = template_response.content.decode()
    response = respond(request, html, status=template_response.status_code)
    if template_response.status_code == 200:
        response.page_cache_html = html
    return response


def _shared_get(key: str) -> tuple[float, str] | None:
    """(wall-clock time until which the HTML is fresh, HTML), or None: missing or unreadable."""
    try:
        entry = cache.get(key)
    except Exception:  # a dead cache must only make pages slower, never fail them
        return None
    return entry if isinstance(entry, tuple) and len(entry) == 2 else None


def _shared_put(key: str, html: str) -> None:
    fresh = settings.PAGE_CACHE_SECONDS
    try:
        cache.set(key, (time.time() + fresh, html), fresh + max(settings.PAGE_CACHE_STALE_SECONDS, 0))
    except Exception:
        logger.warning("cache unavailable; page served uncached")


RENDER_LOCK_SECONDS = 10


def _render_claim(key: str) -> str | None:
    """The lock's key when this request may re-render a stale page, None when another is at it.

    The lock outlives a render by far; it is deleted when the render is stored, and expires by
    itself if the process rendering dies, so a page is never left stale for longer than that."""
    lock = f"{key}:rendering"
    try:
        return lock if cache.add(lock, 1, timeout=RENDER_LOCK_SECONDS) else None
    except Exception:
        return lock  # no cache to agree through: render, as without one


class PageCacheMiddleware:
    """Serve cached anonymous page HTML; store what a page rendered through ``render_cacheable``.

    Sits after the CSRF middleware, so the CSRF cookie is still set on a cache hit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PAGE_CACHE_SECONDS <= 0 or not is_cacheable_request(request):
            return self.get_response(request)
        key = cache_key(request)
        html = _local_get(key)
        if html is not None:
            return respond(request, html)
        entry = _shared_get(key)
        lock = None
        if entry is not None:
            fresh_until, html = entry
            remaining = fresh_until - time.time()
            if remaining > 0:
                _local_put(key, html, remaining)
                return respond(request, html)
            lock = _render_claim(key)
            if lock is None:  # another request is re-rendering it: the stale copy, for now
                return respond(request, html)
        try:
            response = self.get_response(request)
            html = getattr(response, "page_cache_html", None)
            if html is not None and response.status_code == 200:
                _local_put(key, html)
                _shared_put(key, html)
        finally:
            if lock is not None:
                try:
                    cache.delete(lock)
                except Exception:
                    logger.warning("cache unavailable; the render lock expires by itself")
        return response
