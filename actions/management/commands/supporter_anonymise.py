"""Delete one supporter's personal data on their request; their actions (and totals) remain."""

from django.core.management.base import BaseCommand, CommandError

from actions.models import Supporter
from actions.privacy_services import supporter_anonymise


class Command(BaseCommand):
    help = "Anonymise one supporter, found by email. Their actions stay counted."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="Do it without asking.")

    def handle(self, *args, email, yes, **options):
        supporter = Supporter.objects.by_email(email).filter(anonymised_at__isnull=True).first()
        if supporter is None:
            raise CommandError("No supporter with that email.")
        if not yes and input(f"Anonymise {supporter} and {supporter.actions.count()} action(s)? [y/N] ").lower() != "y":
            raise CommandError("Nothing changed.")
        supporter_anonymise(supporter_id=supporter.pk)
        self.stdout.write(self.style.SUCCESS(f"Supporter #{supporter.pk} anonymised; their actions still count."))
