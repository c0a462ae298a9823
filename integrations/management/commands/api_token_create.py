"""Create an OSDI API token for a user; prints it once (only its hash is kept)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from integrations.models import ApiToken
from integrations.tokens import token_create


class Command(BaseCommand):
    help = "Create an API token for the OSDI API (/api/osdi/v1/). The token is printed once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scope", nargs="+", required=True, choices=ApiToken.Scope.values, dest="scopes")
        parser.add_argument("--campaign", type=int, help="Only this campaign (page id).")
        parser.add_argument("--name", default="", help="Who uses it, e.g. 'Action Network sync'.")

    def handle(self, *args, username, scopes, campaign, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        try:
            token, raw = token_create(user=user, scopes=scopes, campaign_id=campaign, name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"API token #{token.pk} created for {username}."))
        self.stdout.write(f"Token (shown once; send it as the OSDI-API-Token header): {raw}")
