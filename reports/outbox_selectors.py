"""Reads for the outbox reports: message statuses, channels and evidence, the printed letters.

Re-exported by ``reports.selectors``, where the views name them.
"""

from django.db.models import Count
from django.utils import timezone

from actions.models import OutboundMessage, Suppression, Target
from actions.outbox.channels import SELF_REPORTED, UNCONFIRMED, VERIFIED, evidence

from .exports import CHUNK_SIZE

# --- Outbox figures ------------------------------------------------------------------------------


def outbound_status_counts(*, campaign_id: int | None = None) -> dict[str, int]:
    """Outbound messages per delivery status, for one campaign or all."""
    messages = OutboundMessage.objects.all()
    if campaign_id is not None:
        messages = messages.filter(campaign_id=campaign_id)
    return {row["status"]: row["n"] for row in messages.values("status").annotate(n=Count("pk")).order_by("status")}


def messages_by_channel(*, campaign_id: int) -> list[dict]:
    """Messages to targets per channel, split into verified (our provider took it), self-reported
    (the supporter said they sent it through the office's form) and unconfirmed (mail client,
    waiting, held for review, a printed letter not yet delivered, or not sent)."""
    rows = (
        OutboundMessage.objects.filter(campaign_id=campaign_id, kind=OutboundMessage.Kind.TO_TARGET)
        .values("delivery", "status", "review")
        .annotate(n=Count("pk"))
        .order_by()
    )
    labels = dict(OutboundMessage.Delivery.choices)
    table = {}
    for row in rows:
        counts = table.setdefault(row["delivery"], {VERIFIED: 0, SELF_REPORTED: 0, UNCONFIRMED: 0})
        counts[evidence(delivery=row["delivery"], status=row["status"], review=row["review"])] += row["n"]
    return [{"channel": labels.get(key, key), **counts} for key, counts in sorted(table.items())]


def letter_rows(*, campaign_id: int, target_id: int):
    """(body, signer's name, city, local date) of each counted letter to one target, oldest first."""
    rows = (
        OutboundMessage.objects.filter(
            campaign_id=campaign_id,
            target_id=target_id,
            delivery=OutboundMessage.Delivery.LETTER,
            status=OutboundMessage.Status.LETTER,
            action__flagged=False,
            action__supporter__anonymised_at__isnull=True,
        )
        .order_by("created_at", "id")
        .values_list(
            "body",
            "action__supporter__first_name",
            "action__supporter__last_name",
            "action__supporter__city",
            "created_at",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for body, first_name, last_name, city, created_at in rows:
        yield {
            "body": body,
            "name": f"{first_name} {last_name}".strip(),
            "city": city,
            "date": timezone.localtime(created_at).date(),
        }


def letter_targets(*, campaign_id: int) -> list[tuple[Target, int]]:
    """Targets of a campaign with printed letters waiting, and how many each."""
    counts = (
        OutboundMessage.objects.filter(
            campaign_id=campaign_id, delivery=OutboundMessage.Delivery.LETTER, status=OutboundMessage.Status.LETTER
        )
        .values("target_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_target = {row["target_id"]: row["n"] for row in counts}
    return [(target, by_target[target.pk]) for target in Target.objects.filter(pk__in=by_target)]


def suppressed_count() -> int:
    return Suppression.objects.count()
