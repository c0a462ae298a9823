from django.core.management.base import BaseCommand

from actions import totals


class Command(BaseCommand):
    help = "Fold any new actions, then recompute every stored total from the action log and fix drift."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, help="Only this campaign (its page id).")

    def handle(self, *args, campaign=None, **options):
        folded = totals.totals_fold()
        if folded:
            self.stdout.write(f"Folded {folded} new action(s) into the totals.")
        drifts = totals.totals_reconcile(campaign_id=campaign)
        if not drifts:
            self.stdout.write(self.style.SUCCESS("Totals are exact: no drift."))
            return
        self.stdout.write(self.style.WARNING(f"{len(drifts)} drifted total(s) fixed:"))
        for d in drifts:
            where = f"campaign {d.campaign_id}, {d.day}, {d.kind}"
            if d.target_key:
                where += f", target {d.target_key}"
            if d.outcome:
                where += f", {d.outcome}"
            if d.source:
                where += f", referrer {d.source}" if d.table == "referral" else f", source {d.source}"
            if d.table != "daily":
                where = f"{d.table} total: {where}"
            self.stdout.write(
                f"  {where}: stored {d.stored[0]}, actual {d.actual[0]} (flagged stored {d.stored[1]}, actual {d.actual[1]})"
            )
