"""Re-encrypt supporters' personal data under the newest key (see ``actions.pii_rotation``)."""

import base64
import secrets

from django.core.management.base import BaseCommand

from actions import pii_rotation


class Command(BaseCommand):
    help = (
        "Re-encrypt every personal value not yet under the first key in PII_KEYS, in batches. "
        "Safe to stop and run again: it carries on where work remains."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=pii_rotation.BATCH, help="Rows per transaction.")
        parser.add_argument("--check", action="store_true", help="Only count the rows still to rotate.")
        parser.add_argument(
            "--reindex", action="store_true", help="Recompute every blind index after PII_INDEX_KEY changed."
        )
        parser.add_argument("--after", type=int, default=None, help="With --reindex: resume after this id.")
        parser.add_argument("--generate-key", action="store_true", help="Print a new random key and exit.")

    def handle(self, *args, batch, check, reindex, after, generate_key, **options):
        if generate_key:
            self.stdout.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
            return
        if check:
            left = {s.label: pii_rotation.stale_count(s) for s in pii_rotation.sealed_models()}
            for label, count in left.items():
                self.stdout.write(f"{label}: {count} rows to rotate")
            self.stdout.write(f"{sum(left.values())} rows left under older keys or in plaintext.")
            return
        if reindex:
            done = pii_rotation.reindex(size=batch, after_pk=after, progress=self._reindexed)
            self.stdout.write(self.style.SUCCESS(f"Blind index recomputed for {done} supporters."))
            return
        done = pii_rotation.rotate(size=batch, progress=self._rotated)
        self.stdout.write(self.style.SUCCESS(f"Done: {done} rows re-encrypted under the newest key."))

    def _rotated(self, label, done, expected):
        self.stdout.write(f"{label}: {done}/{expected}")

    def _reindexed(self, done, last_pk):
        self.stdout.write(f"supporters: {done} reindexed (resume with --after {last_pk})")
