"""Bulk generation of realistic supporters and actions, for load tests and report demos.

Rows go in with PostgreSQL's COPY (or ``bulk_create`` in batches elsewhere), already marked
tallied; the stored totals are then rebuilt from the log by ``totals_reconcile``, the same
function that repairs drift in production, so the totals match the log exactly.
"""

import datetime
import logging
import random
import secrets
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from actions import totals
from actions.models import Action, ActionKind, Supporter, Target

FIRST_NAMES = [
    "Maria",
    "José",
    "Linh",
    "Wei",
    "Aisha",
    "Sam",
    "Priya",
    "Tomás",
    "Grace",
    "Nguyen",
    "Fatima",
    "Ana",
    "David",
    "Mei",
    "Carlos",
    "Yuki",
    "Olu",
    "Sofia",
    "Minh",
    "Rosa",
    "James",
    "Hana",
    "Luis",
    "Zoë",
]
LAST_NAMES = [
    "Garcia",
    "Tran",
    "Nguyen",
    "Smith",
    "Lee",
    "Hernández",
    "Kim",
    "Patel",
    "Lopez",
    "Chen",
    "Johnson",
    "Pham",
    "Martinez",
    "O'Brien",
    "Singh",
    "Le",
    "Wong",
    "Rivera",
    "Brown",
    "Okafor",
    "Díaz",
    "Ho",
]
CITIES = [
    "San Jose",
    "Oakland",
    "San Francisco",
    "Sacramento",
    "Fresno",
    "Los Angeles",
    "Santa Clara",
    "Milpitas",
    "Sunnyvale",
    "Stockton",
    "Berkeley",
    "Hayward",
    "",
]
COMMENTS = [
    "",
    "",
    "",
    "",
    "Keep families together.",
    "He belongs here with his family.",
    "Please act now.",
    "Our community stands with Kang Hen.",
    "Grant the pardon.",
    "Mercy, please.",
]
SOURCES = ["", "", "", "facebook", "twitter", "email", "instagram", "partner-org", "whatsapp"]
CALL_OUTCOMES = ["reached", "voicemail", "voicemail", "busy", "no_answer"]
SHARE_CHANNELS = ["facebook", "twitter", "whatsapp", "email", "copy"]
MIX = {ActionKind.SIGN: 0.55, ActionKind.EMAIL: 0.20, ActionKind.CALL: 0.15, ActionKind.SHARE: 0.10}

SUPPORTER_COLUMNS = ["uuid", "email", "email_key", "first_name", "last_name", "city", "postal_code", "country",
                     "referral_code", "created_at", "updated_at"]  # fmt: skip
ACTION_COLUMNS = ["campaign_id", "kind", "supporter_id", "target_id", "outcome", "comment", "consent", "consent_text",
                  "consent_at", "source", "referrer_code", "ip_hash", "flagged", "flag_reason", "tallied",
                  "created_at"]  # fmt: skip
BATCH = 10_000


@dataclass
class Generated:
    supporters: int = 0
    actions: int = 0


def _moment(rng: random.Random, now: datetime.datetime, days: int) -> datetime.datetime:
    # Campaigns grow: later days are busier, evenings busier than nights, and the last two
    # days get a burst so the 48-hour chart has something to show.
    if rng.random() < 0.08:
        return now - datetime.timedelta(seconds=rng.uniform(0, 48 * 3600))
    day = int(days * (rng.random() ** 1.6))  # small offsets (recent days) are likelier
    hour = rng.choices(range(24), weights=[1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 9, 9, 8, 8, 9, 10, 12, 12, 10, 7, 4, 2])[
        0
    ]
    moment = now - datetime.timedelta(days=day)
    moment = moment.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
    return min(moment, now)


def _copy_rows(table: str, columns: list[str], rows) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # noqa: S608
                for row in rows:
                    copy.write_row(row)
        return
    model = Supporter if table == Supporter._meta.db_table else Action
    batch = []
    created_at = model._meta.get_field("created_at")
    # bulk_create would stamp auto_now_add fields with "now"; generated rows carry their own.
    created_at.auto_now_add = False
    try:
        for row in rows:
            batch.append(model(**dict(zip(columns, row, strict=True))))
            if len(batch) >= BATCH:
                model.objects.bulk_create(batch)
                batch = []
        if batch:
            model.objects.bulk_create(batch)
    finally:
        created_at.auto_now_add = True


def _email_messages_add(*, campaign_id: int, first_action_id: int, target_ids: list[int]) -> None:
    """One sent outbox row per target for each generated email action, in one INSERT ... SELECT."""
    if not target_ids:
        return
    from actions.models import OutboundMessage

    message_table = OutboundMessage._meta.db_table
    placeholders = ", ".join(["%s"] * len(target_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {message_table} (action_id, campaign_id, target_id, kind, delivery, status, review, "  # noqa: S608
            "to_email, reply_to, from_name, sender_name, subject, body, attempts, last_error, esp_message_id, "
            "created_at, sent_at) "
            "SELECT a.id, a.campaign_id, t.id, 'target', 'direct', 'sent', %s, '', '', '', '', 'Generated', '', 1, "
            "'', '', a.created_at, a.created_at "
            f"FROM {Action._meta.db_table} a, {Target._meta.db_table} t "
            f"WHERE a.kind = 'email' AND a.campaign_id = %s AND a.id >= %s AND t.id IN ({placeholders})",
            [False, campaign_id, first_action_id, *target_ids],
        )


def generate(
    *, campaign, targets, actions: int, days: int = 42, seed: int | None = None, flag_rate=0.02, mix=None
) -> Generated:
    """Add about ``actions`` actions of every kind to ``campaign`` over the last ``days`` days."""
    rng = random.Random(seed)  # noqa: S311 -- test data, not secrets
    now = timezone.now()
    run = secrets.token_hex(4)
    mix = {**dict.fromkeys(MIX, 0.0), **mix} if mix else MIX
    n_sign = max(1, int(actions * mix[ActionKind.SIGN]))
    n_email = min(n_sign, int(actions * mix[ActionKind.EMAIL]))
    n_call = int(actions * mix[ActionKind.CALL])
    n_share = min(max(0, actions - n_sign - n_email - n_call), int(actions * mix[ActionKind.SHARE]) + 1)
    target_ids = [t.pk for t in targets] or [None]
    result = Generated()

    def supporter_rows():
        for i in range(n_sign):
            email = f"gen-{run}-{i}@example.org"
            joined = _moment(rng, now, days)
            yield (
                uuid.uuid4(), email, email, rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), rng.choice(CITIES),
                f"95{rng.randrange(100, 999)}", "US", f"g{run}{i:x}"[:16], joined, joined,
            )  # fmt: skip

    with transaction.atomic():
        _copy_rows(Supporter._meta.db_table, SUPPORTER_COLUMNS, supporter_rows())
        supporters = list(
            Supporter.objects.filter(email_key__startswith=f"gen-{run}-")
            .order_by("id")
            .values_list("id", "referral_code", "created_at")
        )
        result.supporters = len(supporters)

        def action_row(kind, supporter, target_id=None, outcome="", moment=None):
            supporter_id, own_code, joined = supporter
            moment = moment or joined
            referrer = ""
            if rng.random() < 0.12:
                # A few keen sharers bring most referrals, as in real campaigns.
                sharers = max(1, len(supporters) // 50)
                referrer = supporters[int(sharers * rng.random() ** 2)][1]
                referrer = "" if referrer == own_code else referrer
            flagged = rng.random() < flag_rate
            consent = kind == ActionKind.SIGN and rng.random() < 0.6
            return (
                campaign.pk, kind, supporter_id, target_id, outcome,
                rng.choice(COMMENTS) if kind == ActionKind.SIGN else "",
                consent, "Yes, email me updates." if consent else "", moment if consent else None,
                rng.choice(SOURCES), referrer, "", flagged, "too_fast" if flagged else "", True, moment,
            )  # fmt: skip

        def action_rows():
            for supporter in supporters:
                yield action_row(ActionKind.SIGN, supporter)
            for supporter in rng.sample(supporters, n_email):
                later = min(now, supporter[2] + datetime.timedelta(minutes=rng.randrange(1, 30)))
                # Like the real email step: one action per supporter, one outbox row per target.
                yield action_row(ActionKind.EMAIL, supporter, moment=later)
            for _ in range(n_call):
                supporter = supporters[rng.randrange(len(supporters))]
                yield action_row(
                    ActionKind.CALL,
                    supporter,
                    target_id=rng.choice(target_ids),
                    outcome=rng.choice(CALL_OUTCOMES),
                    moment=_moment(rng, now, days),
                )
            for _ in range(n_share):
                supporter = supporters[rng.randrange(len(supporters))]
                yield action_row(
                    ActionKind.SHARE, supporter, outcome=rng.choice(SHARE_CHANNELS), moment=_moment(rng, now, days)
                )

        first_id = (Action.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        _copy_rows(Action._meta.db_table, ACTION_COLUMNS, action_rows())
        result.actions = n_sign + n_email + n_call + n_share
        _email_messages_add(campaign_id=campaign.pk, first_action_id=first_id, target_ids=[t for t in target_ids if t])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE actions_action")
            cursor.execute("ANALYZE actions_supporter")
    # Rebuilding from nothing reports every key as "drift"; that is expected here, not news.
    services_logger = logging.getLogger(totals.__name__)
    level = services_logger.level
    services_logger.setLevel(logging.ERROR)
    try:
        totals.totals_reconcile(campaign_id=campaign.pk)
    finally:
        services_logger.setLevel(level)
    return result
