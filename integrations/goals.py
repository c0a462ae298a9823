"""``campaign.goal_reached``: checked periodically from the stored totals, each goal told once.

The goal ladder lives on the campaign page (``cms``), which ``actions`` may not import, so the
check runs here, on beat, rather than inside the totals fold.
"""

from django.db import IntegrityError, transaction

from actions.selectors import campaign_totals
from cms.goals import parse_goal_ladder
from cms.models import CampaignPage

from .events import goal_reached, listening
from .models import GoalNotice


def goals_of(page) -> list[int]:
    rungs = [page.signature_goal or 1]
    try:
        rungs += [rung for rung in parse_goal_ladder(page.goal_ladder) if rung > rungs[-1]]
    except ValueError:
        pass
    return rungs


def goals_check() -> int:
    """Queue one event per goal newly passed by a live campaign; how many were queued."""
    if not listening("campaign.goal_reached", None):
        return 0
    told = 0
    for page in CampaignPage.campaigns().live().only("pk", "title", "signature_goal", "goal_ladder"):
        count = campaign_totals(campaign_id=page.pk)["sign"]
        noticed = set(GoalNotice.objects.filter(campaign_id=page.pk).values_list("goal", flat=True))
        for goal in goals_of(page):
            if goal > count or goal in noticed:
                continue
            try:
                with transaction.atomic():
                    GoalNotice.objects.create(campaign_id=page.pk, goal=goal, count=count)
                    goal_reached(campaign_id=page.pk, title=page.title, goal=goal, count=count)
            except IntegrityError:
                continue  # another worker told it a moment ago
            told += 1
    return told
