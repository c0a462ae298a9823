"""Fill a campaign with generated supporters and actions (see ``reports.generate``) for load tests and demos."""

import time

from django.core.management.base import BaseCommand, CommandError

from actions.models import Target
from cms.models import CampaignPage
from reports.generate import generate


class Command(BaseCommand):
    help = "Bulk-generate realistic supporters and actions (all kinds, weeks of history) and rebuild the totals."

    def add_arguments(self, parser):
        parser.add_argument("--actions", type=int, default=100_000, help="About how many actions to add.")
        parser.add_argument("--campaign", type=int, help="Campaign page id (default: the first campaign).")
        parser.add_argument("--days", type=int, default=42, help="Spread the actions over this many days.")
        parser.add_argument("--seed", type=int, help="Random seed, for repeatable data.")
        parser.add_argument("--signatures-only", action="store_true", help="Only signatures (for export load tests).")

    def handle(self, *args, actions, campaign, days, seed, signatures_only, **options):
        pages = CampaignPage.campaigns().order_by("pk")  # each campaign once, never a translation
        page = pages.filter(pk=campaign).first() if campaign else pages.first()
        if page is None:
            raise CommandError("No campaign page found: run `manage.py load_campaign` first, or pass --campaign.")
        targets = page.targets() or list(Target.objects.all()[:3])
        started = time.monotonic()
        mix = {"sign": 1.0} if signatures_only else None
        result = generate(campaign=page, targets=targets, actions=actions, days=days, seed=seed, mix=mix)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {result.supporters:,} supporters and {result.actions:,} actions to {page.title!r} "
                f"in {elapsed:.1f} s; totals rebuilt."
            )
        )
