"""Store many signatures fast, straight in SQL, to measure signing against a large table.

One ``INSERT ... SELECT generate_series`` per chunk writes supporters and their signatures
(spread over the last 30 days, about 1 in 50 flagged as a real campaign's would be); the stored
totals are then rebuilt from the action log by the engine's own ``totals_reconcile``. Per-row
ORM saves would take an hour for a million rows; this takes about a minute.

Seeded rows are written in plaintext with a stand-in ``email_index`` (not an HMAC): they read
back as they are (``actions.pii`` passes unprefixed values through) and only fill the table
the signing path's indexes work against; no one looks them up by email.
"""

import logging

from django.db import connection, transaction

from actions.models import Action, ActionKind
from actions.totals import totals_reconcile

CHUNK = 200_000

_SUPPORTERS = """
INSERT INTO actions_supporter
    (uuid, email, email_index, first_name, last_name, city, postal_code, country, referral_code,
     created_at, updated_at)
SELECT gen_random_uuid(), 'seed' || i || '@bench.example', 'seed' || i || '@bench.example',
       'Seed', 'Supporter' || i, 'San Jose', '95110', 'US', 's' || lpad(to_hex(i), 9, '0'),
       now() - ((i %% 30) || ' days')::interval, now()
FROM generate_series(%(first)s, %(last)s) AS i
"""

_SIGNATURES = """
INSERT INTO actions_action
    (campaign_id, kind, supporter_id, target_id, outcome, comment, consent, consent_text,
     consent_at, source, referrer_code, ip_hash, flagged, flag_reason, tallied, created_at)
SELECT %(campaign)s, 'sign', s.id, NULL, '', '', true, 'Seeded consent.', s.created_at,
       'seed', '', md5(s.email_index), (s.id %% 50 = 0), CASE WHEN s.id %% 50 = 0 THEN 'too-fast' ELSE '' END,
       true, s.created_at
FROM actions_supporter s
WHERE s.email_index LIKE 'seed%%@bench.example' AND s.id > %(after_id)s
"""


def seeded_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM actions_supporter WHERE email_index LIKE 'seed%%@bench.example'")
        return cursor.fetchone()[0]


def signatures_stored(*, campaign_id: int) -> int:
    return Action.objects.filter(campaign_id=campaign_id, kind=ActionKind.SIGN).count()


def seed_signatures(*, campaign_id: int, total: int, progress=print) -> int:
    """Add seeded signatures until the campaign has about ``total`` stored; returns how many were added."""
    missing = total - signatures_stored(campaign_id=campaign_id)
    first = seeded_count() + 1
    added = 0
    while added < missing:
        size = min(CHUNK, missing - added)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SELECT coalesce(max(id), 0) FROM actions_supporter")
            after_id = cursor.fetchone()[0]
            cursor.execute(_SUPPORTERS, {"first": first + added, "last": first + added + size - 1})
            cursor.execute(_SIGNATURES, {"campaign": campaign_id, "after_id": after_id})
        added += size
        progress(f"  seeded {added:,} of {missing:,} signatures")
    if added:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE actions_supporter")
            cursor.execute("ANALYZE actions_action")
        # Every seeded day shows up as "drift" (nothing was folded yet): expected, so not logged.
        totals_logger = logging.getLogger("actions.totals")
        level = totals_logger.level
        totals_logger.setLevel(logging.ERROR)
        try:
            totals_reconcile(campaign_id=campaign_id)
        finally:
            totals_logger.setLevel(level)
    return added
