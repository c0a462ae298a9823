"""Remove a webhook subscription and its deliveries."""

from django.core.management.base import BaseCommand, CommandError

from integrations.services import subscription_remove


class Command(BaseCommand):
    help = "Remove a webhook subscription (by the id webhook_list shows) and its deliveries."

    def add_arguments(self, parser):
        parser.add_argument("subscription_id", type=int)

    def handle(self, *args, subscription_id, **options):
        if not subscription_remove(subscription_id=subscription_id):
            raise CommandError(f"No webhook subscription #{subscription_id}.")
        self.stdout.write(self.style.SUCCESS(f"Webhook subscription #{subscription_id} removed."))
