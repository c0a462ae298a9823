"""Plain Django views for the campaign pages that need no page routing."""

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from .models import CampaignPage

MAX_ID = 2**63 - 1


@require_GET
def campaign_totals(request, page_id: int):
    """The live counter's data. Cached briefly by browsers and proxies to absorb reload storms."""
    if page_id > MAX_ID:  # the URL accepts any digits; the database's integers do not
        raise Http404("No such campaign")
    page = CampaignPage.objects.live().public().filter(pk=page_id).only("id", "signature_goal", "goal_ladder").first()
    if page is None:
        raise Http404("No such campaign")
    counter = page.counter()
    response = JsonResponse(
        {
            "campaign": page.pk,
            "signatures": counter["count"],
            "goal": counter["goal"],
            "percent": counter["percent"],
            "totals": counter["totals"],
        }
    )
    response["Cache-Control"] = "public, max-age=2, stale-while-revalidate=10"
    return response
