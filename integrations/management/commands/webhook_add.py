"""Subscribe a receiver to webhook events; prints the signing secret once."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from integrations.models import EVENTS
from integrations.services import subscription_create


class Command(BaseCommand):
    help = "Add a webhook subscription. The secret is printed once: store it in the receiver."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--events", nargs="+", required=True, choices=EVENTS, metavar="EVENT")
        parser.add_argument("--campaign", type=int, help="Only this campaign's events (page id).")
        parser.add_argument("--personal-data", action="store_true", help="Include supporters' names and emails.")
        parser.add_argument("--organiser", help="Username of the organiser told if it is paused.")
        parser.add_argument("--description", default="")

    def handle(self, *args, url, events, campaign, personal_data, organiser, description, **options):
        user = None
        if organiser:
            user = get_user_model().objects.filter(username=organiser).first()
            if user is None:
                raise CommandError(f"No user {organiser!r}.")
        try:
            subscription = subscription_create(
                url=url,
                events=events,
                campaign_id=campaign,
                personal_data=personal_data,
                organiser=user,
                description=description,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Webhook subscription #{subscription.pk} added."))
        self.stdout.write(f"Signing secret (shown once): {subscription.secret}")
