"""Reads about events: by code, by the source an action carries, and the counts per event."""

from django.db.models import Sum

from actions.models import DailyTotal

from .models import PAPER_SOURCE, SOURCE_PREFIX, Event


def event_by_code(code: str) -> Event | None:
    return Event.objects.filter(code=(code or "").strip().lower()[:16]).first()


def event_open_for_source(*, campaign_id: int, source: str) -> Event | None:
    """The event of this campaign named by an action's ``source``, if it is open now; else None."""
    if not (source or "").startswith(SOURCE_PREFIX):
        return None
    event = event_by_code(source[len(SOURCE_PREFIX) :])
    if event is None or event.campaign_id != campaign_id or not event.is_open():
        return None
    return event


def event_counts(*, campaign_id: int) -> list[dict]:
    """Each event of the campaign with its signatures online (the link and the kiosk) and on
    paper, its other actions and flagged ones, from the stored totals (never the action log)."""
    events = list(Event.objects.filter(campaign_id=campaign_id).order_by("starts_at"))
    by_source = {event.source: (event.code, "signatures") for event in events}
    by_source.update({f"{PAPER_SOURCE}-{event.code}": (event.code, "paper") for event in events})
    rows = (
        DailyTotal.objects.filter(campaign_id=campaign_id, source__in=list(by_source))
        .values("source", "kind")
        .annotate(counted=Sum("count"), flagged=Sum("flagged_count"))
    )
    per_event = {event.code: {"signatures": 0, "paper": 0, "others": 0, "flagged": 0} for event in events}
    for row in rows:
        code, column = by_source[row["source"]]
        counts = per_event[code]
        counts[column if row["kind"] == "sign" else "others"] += row["counted"] or 0
        counts["flagged"] += row["flagged"] or 0
    return [{"event": event, **per_event[event.code]} for event in events]
