"""The goal ladder and the counter's figures, from plain values (no page instance needed)."""

from actions import confirmation
from actions import selectors as action_selectors


def parse_goal_ladder(text: str) -> list[int]:
    """'5,000, 10000' -> [5000, 10000]. Raises ValueError on anything that is not a number."""
    rungs = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip().replace("_", "").replace(" ", "")
        if not part:
            continue
        if "." in part:
            raise ValueError(part)
        rungs.append(int(part.replace("'", "")))
    return rungs


def goal_for(count: int, *, signature_goal: int, goal_ladder: str) -> int:
    """The goal to show for this count: the first rung the count has not reached yet.

    Past the last rung, goals keep growing by the last rung's size.
    """
    rungs = [signature_goal or 1]
    try:
        rungs += [r for r in parse_goal_ladder(goal_ladder) if r > rungs[-1]]
    except ValueError:
        pass
    for rung in rungs:
        if count < rung:
            return rung
    step = rungs[-1]
    return (count // step + 1) * step


def counter_for(campaign_id: int, *, signature_goal: int, goal_ladder: str, confirmed_only: bool = False) -> dict:
    """The counter's figures: the stored totals, the goal for the count and how far along it is.
    Takes plain values so the counter endpoint needs no page instance. ``confirmed_only`` (the
    campaign's setting) leaves out signatures still waiting for their signer's confirmation."""
    totals = action_selectors.campaign_totals(campaign_id=campaign_id)
    count = totals["sign"]
    if confirmed_only:
        count = max(0, count - confirmation.unconfirmed_count(campaign_id=campaign_id))
    goal = goal_for(count, signature_goal=signature_goal, goal_ladder=goal_ladder)
    return {"count": count, "goal": goal, "percent": min(100, round(100 * count / goal, 1)), "totals": totals}
