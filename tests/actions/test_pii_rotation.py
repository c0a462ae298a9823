"""Key rotation over a large table: batches, stopping half-way and resuming, nothing lost."""

import base64

import pytest
from django.core.management import call_command
from django.db import connection

from actions import pii, pii_rotation
from actions.models import Supporter

pytestmark = pytest.mark.django_db

OLD_KEY = base64.urlsafe_b64encode(b"the-key-used-before-the-rotation").decode()
NEW_KEY = base64.urlsafe_b64encode(b"the-key-that-encrypts-from-today").decode()
ROWS = 100_000


def _person(n: int) -> Supporter:
    email = f"person{n}@example.org"
    return Supporter(
        email=email,
        email_index=pii.email_index(email),
        first_name=f"First{n}",
        last_name=f"Last{n}",
        city="San Jose" if n % 2 else "",
        postal_code=f"{n % 100000:05d}",
        referral_code=f"r{n:09d}",
    )


def _prefixes() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT substr(first_name, 1, 14), count(*) FROM actions_supporter GROUP BY 1")
        return dict(cursor.fetchall())


def test_rotating_100000_supporters_resumes_after_a_stop_and_every_row_reads_back(settings, capsys):
    settings.PII_KEYS = [OLD_KEY]
    Supporter.objects.bulk_create((_person(n) for n in range(ROWS)), batch_size=5000)
    old_prefix = pii.keyring().current_prefix
    settings.PII_KEYS = [NEW_KEY, OLD_KEY]
    new_prefix = pii.keyring().current_prefix
    sealed = next(s for s in pii_rotation.sealed_models() if s.model is Supporter)
    assert pii_rotation.stale_count(sealed) == ROWS

    # A run stopped after three batches...
    last = None
    for _ in range(3):
        _, last = pii_rotation.rotate_batch(sealed, after_pk=last, size=2000)
    assert _prefixes() == {new_prefix: 6000, old_prefix: ROWS - 6000}
    # ...carries on where work remains when started again.
    call_command("pii_rotate", "--batch", "5000")
    output = capsys.readouterr().out
    assert f"actions.Supporter: {ROWS - 6000}/{ROWS - 6000}" in output and "Done" in output
    assert _prefixes() == {new_prefix: ROWS}
    call_command("pii_rotate", "--check")
    assert "0 rows left" in capsys.readouterr().out

    settings.PII_KEYS = [NEW_KEY]  # the retired key is gone: every row must still read
    rows = Supporter.objects.order_by("referral_code").values_list("email", "first_name", "city", "postal_code")
    for n, row in enumerate(rows.iterator(chunk_size=10_000)):
        assert row == (f"person{n}@example.org", f"First{n}", "San Jose" if n % 2 else "", f"{n % 100000:05d}")
    assert n == ROWS - 1
    assert Supporter.objects.by_email("Person77777@Example.org").get().last_name == "Last77777"
