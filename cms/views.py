"""Plain Django views for the campaign pages that need no page routing."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from .goals import counter_for
from .models import CampaignPage

MAX_ID = 2**63 - 1
logger = logging.getLogger(__name__)


def _campaign_for_counter(page_id: int) -> dict | None:
    """The few fields the counter needs, cached as briefly as page HTML (``PAGE_CACHE_SECONDS``):
    every open page polls this endpoint, so a reload storm must not query the page tree each time."""
    key = f"cms:counter-page:{page_id}"
    try:
        fields = cache.get(key)
    except Exception:
        fields = None
    if fields is None:
        page = (
            CampaignPage.objects.live()
            .public()
            .filter(pk=page_id)
            .only("id", "signature_goal", "goal_ladder", "counter_confirmed_only")
            .first()
        )
        fields = (
            {"live": False}
            if page is None
            else {
                "live": True,
                "goal": page.signature_goal,
                "ladder": page.goal_ladder,
                "confirmed_only": page.counter_confirmed_only,
            }
        )
        try:
            cache.set(key, fields, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("cache unavailable; counter page fields not cached")
    return fields if fields["live"] else None


# page id -> (the counter's JSON, monotonic time until which this process may answer with it).
# Every open page polls the counter, so each web process answers repeat polls from memory for
# PAGE_CACHE_LOCAL_SECONDS (at most PAGE_CACHE_SECONDS) instead of two cache round trips each:
# well within the two seconds every browser and proxy may already keep the answer for.
_recent: dict[int, tuple[bytes, float]] = {}
RECENT_MAX_CAMPAIGNS = 256


def _counter_json(page_id: int) -> bytes | None:
    held = _recent.get(page_id)
    now = time.monotonic()
    if held is not None and now < held[1]:
        return held[0]
    fields = _campaign_for_counter(page_id)
    if fields is None:
        return None
    counter = counter_for(
        page_id,
        signature_goal=fields["goal"],
        goal_ladder=fields["ladder"],
        confirmed_only=fields.get("confirmed_only", False),
    )
    body = JsonResponse(
        {
            "campaign": page_id,
            "signatures": counter["count"],
            "goal": counter["goal"],
            "percent": counter["percent"],
            "totals": counter["totals"],
        }
    ).content
    seconds = min(settings.PAGE_CACHE_LOCAL_SECONDS, settings.PAGE_CACHE_SECONDS)
    if seconds > 0:
        if len(_recent) >= RECENT_MAX_CAMPAIGNS:
            _recent.clear()
        _recent[page_id] = (body, now + seconds)
    return body


@require_GET
def campaign_totals(request, page_id: int):
    """The live counter's data. Cached briefly by browsers and proxies to absorb reload storms."""
    if page_id > MAX_ID:  # the URL accepts any digits; the database's integers do not
        raise Http404("No such campaign")
    body = _counter_json(page_id)
    if body is None:
        raise Http404("No such campaign")
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "public, max-age=2, stale-while-revalidate=10"
    return response
