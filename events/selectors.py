"""Reads about events: by code, by the source an action carries, and the counts per event."""

from django.db.models import Sum

from actions.models import DailyTotal

from .models import SOURCE_PREFIX, Event


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
    """Each event of the campaign with its signatures, other actions and flagged ones, from the
    stored totals (never a count over the action log)."""
    events = list(Event.objects.filter(campaign_id=campaign_id).order_by("starts_at"))
    rows = (
        DailyTotal.objects.filter(campaign_id=campaign_id, source__in=[event.source for event in events])
        .values("source", "kind")
        .annotate(counted=Sum("count"), flagged=Sum("flagged_count"))
    )
    per_source: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = per_source.setdefault(row["source"], {"signatures": 0, "others": 0, "flagged": 0})
        counts["signatures" if row["kind"] == "sign" else "others"] += row["counted"] or 0
        counts["flagged"] += row["flagged"] or 0
    empty = {"signatures": 0, "others": 0, "flagged": 0}
    return [{"event": event, **per_source.get(event.source, empty)} for event in events]
