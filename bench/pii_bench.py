"""What encrypting personal data costs on the sign path, with and without, in one run.

    DATABASE_URL=postgres://... python bench/pii_bench.py [signatures per mode, default 2000]

Signs first-time supporters through ``intake.signature_create`` (the path a petition POST ends
in) on a scratch database, alternating blocks of 100 with ``PII_ENCRYPTION`` on and off so both
modes see the same machine noise. Reports this process's CPU time per signature (where the
encryption runs) and wall time per signature (which includes PostgreSQL), and their ratios.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings.test")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

BLOCK = 100


def main(per_mode: int) -> None:
    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}_pii_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from actions import intake
        from tests.factories import campaign_page

        campaign = campaign_page()
        spent = {True: [0.0, 0.0, 0], False: [0.0, 0.0, 0]}
        n = 0
        for block in range(2 * per_mode // BLOCK):
            mode = block % 2 == 0
            settings.PII_ENCRYPTION = mode
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(BLOCK):
                n += 1
                intake.signature_create(
                    campaign_id=campaign.pk, first_name="Bench", last_name=f"Signer {n}",
                    email=f"bench.signer{n}@example.org", city="San Jose", postal_code="95110",
                    comment="Bring him home to his family." if n % 3 else "", consent=True, consent_text="Yes",
                    submission=intake.Submission(ip_hash=f"{n:064x}"),
                )  # fmt: skip
            spent[mode][0] += time.process_time() - cpu
            spent[mode][1] += time.perf_counter() - wall
            spent[mode][2] += BLOCK
        for mode, (cpu, wall, count) in spent.items():
            label = "encrypted" if mode else "plaintext"
            print(f"{label}: {count} signatures, CPU {cpu / count * 1e3:.3f} ms, wall {wall / count * 1e3:.3f} ms each")
        on, off = spent[True], spent[False]
        print(f"ratio encrypted/plaintext: CPU {on[0] / off[0]:.3f}, wall {on[1] / off[1]:.3f}")
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
