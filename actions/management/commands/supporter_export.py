"""Print everything held about one supporter as JSON (for a subject access request)."""

import json

from django.core.management.base import BaseCommand, CommandError

from actions.models import Supporter
from actions.selectors import supporter_data_export


class Command(BaseCommand):
    help = "Print one supporter's data as JSON, found by email (case, +tags and Gmail dots ignored)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        supporter = Supporter.objects.by_email(email).filter(anonymised_at__isnull=True).first()
        if supporter is None:
            raise CommandError("No supporter with that email.")
        self.stdout.write(json.dumps(supporter_data_export(supporter=supporter), indent=2, ensure_ascii=False))
