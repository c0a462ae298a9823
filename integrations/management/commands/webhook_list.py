"""List webhook subscriptions with their delivery counts."""

from django.core.management.base import BaseCommand
from django.db.models import Count, Q

from integrations.models import WebhookDelivery, WebhookSubscription

Status = WebhookDelivery.Status


class Command(BaseCommand):
    help = "List webhook subscriptions: id, state, URL, events, deliveries by status."

    def handle(self, *args, **options):
        rows = WebhookSubscription.objects.annotate(
            **{status: Count("deliveries", filter=Q(deliveries__status=status)) for status in Status.values}
        )
        if not rows:
            self.stdout.write("No webhook subscriptions.")
        for row in rows:
            state = "active" if row.active else f"paused ({row.paused_reason})"
            campaign = f" campaign={row.campaign_id}" if row.campaign_id else ""
            counts = " ".join(f"{status}={getattr(row, status)}" for status in Status.values)
            personal = " personal-data" if row.personal_data else ""
            self.stdout.write(f"#{row.pk} {state} {row.url} [{', '.join(row.events)}]{campaign}{personal} {counts}")
