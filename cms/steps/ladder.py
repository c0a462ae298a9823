"""The ladder: every step a campaign offers, which ones a supporter has done, and the next one.

A read over ``actions.selectors.supporter_progress`` and the page's ``action_steps`` StreamField
(the editor's order). Step URLs come from the page's routes, each named by its step kind, so a
step's URL is ``page.route_url(kind)`` (Wagtail's ``reverse_subpage``).
"""

from actions import selectors as action_selectors
from actions.models import ActionKind


def ladder_context(page, supporter) -> dict:
    """Every configured step with its done state, and the next one to offer.

    A step is done when the supporter did it; the call step only when every call target has a
    logged call (a skip counts, so nobody is asked about the same office twice).
    """
    progress = action_selectors.supporter_progress(campaign_id=page.campaign_id, supporter=supporter)
    done = set(progress.kinds)
    # Only someone who has logged a call needs the call targets read (a query): without a call
    # the step is not done whatever they are, which spares every new signer's thanks page it.
    if ActionKind.CALL in done:
        call_ids = [target.pk for target, _ in page.call_targets()] if "call" in page.step_kinds else []
        if not progress.done_for_all(ActionKind.CALL, call_ids):
            done.discard(ActionKind.CALL)
    steps = [
        {
            "kind": block.block_type,
            "heading": block.value.get("heading"),
            "url": page.route_url(block.block_type),
            "done": block.block_type in done,
        }
        for block in page.action_steps
    ]
    next_step = page.next_step(done)
    return {
        "progress": progress,
        "done": done,
        "ladder": steps,
        "next_step": next_step,
        "next_step_url": page.route_url(next_step.block_type) if next_step else "",
    }
