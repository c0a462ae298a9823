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
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from actions import totals
from actions.models import Action, ActionKind, OutboundMessage, Supporter, Target
from actions.pii import EncryptedTextField, email_index, encrypt

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

SUPPORTER_COLUMNS = ["uuid", "email", "email_index", "first_name", "last_name", "city", "postal_code", "country",
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
    model = Supporter if table == Supporter._meta.db_table else Action
    if connection.vendor == "postgresql":
        # COPY bypasses the fields: personal columns are encrypted here as the ORM would.
        sealed = [isinstance(model._meta.get_field(column), EncryptedTextField) for column in columns]
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # noqa: S608
                for row in rows:
                    copy.write_row([encrypt(v) if seal else v for v, seal in zip(row, sealed, strict=True)])
        return
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


@dataclass(frozen=True)
class _Counts:
    """How many actions of each kind one run adds."""

    sign: int
    email: int
    call: int
    share: int

    @classmethod
    def split(cls, actions: int, mix: dict | None) -> "_Counts":
        # Every supporter signs once; at most every signer also emails (one email action each).
        mix = {**dict.fromkeys(MIX, 0.0), **mix} if mix else MIX
        sign = max(1, int(actions * mix[ActionKind.SIGN]))
        email = min(sign, int(actions * mix[ActionKind.EMAIL]))
        call = int(actions * mix[ActionKind.CALL])
        share = min(max(0, actions - sign - email - call), int(actions * mix[ActionKind.SHARE]) + 1)
        return cls(sign=sign, email=email, call=call, share=share)

    @property
    def total(self) -> int:
        return self.sign + self.email + self.call + self.share


@dataclass
class _Rows:
    """The rows of one run. Every random choice comes from ``rng`` in a fixed order, so a seed
    gives the same people and actions every time."""

    rng: random.Random
    now: datetime.datetime
    days: int
    campaign_id: int
    target_ids: list
    flag_rate: float
    run: str = field(default_factory=lambda: secrets.token_hex(4))
    # (id, referral code, joined) of each supporter once inserted: actions refer to them.
    supporters: list = field(default_factory=list)

    def supporter_rows(self, count: int):
        rng = self.rng
        for i in range(count):
            email = f"gen-{self.run}-{i}@example.org"
            joined = _moment(rng, self.now, self.days)
            yield (
                uuid.uuid4(), email, email_index(email), rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), rng.choice(CITIES),
                f"95{rng.randrange(100, 999)}", "US", f"g{self.run}{i:x}"[:16], joined, joined,
            )  # fmt: skip

    def supporters_load(self) -> None:
        self.supporters = list(
            Supporter.objects.filter(referral_code__startswith=f"g{self.run}")
            .order_by("id")
            .values_list("id", "referral_code", "created_at")
        )

    def _referrer(self, own_code: str) -> str:
        if self.rng.random() >= 0.12:
            return ""
        # A few keen sharers bring most referrals, as in real campaigns.
        sharers = max(1, len(self.supporters) // 50)
        referrer = self.supporters[int(sharers * self.rng.random() ** 2)][1]
        return "" if referrer == own_code else referrer

    def action_row(self, kind, supporter, target_id=None, outcome="", moment=None):
        rng = self.rng
        supporter_id, own_code, joined = supporter
        moment = moment or joined
        referrer = self._referrer(own_code)
        flagged = rng.random() < self.flag_rate
        consent = kind == ActionKind.SIGN and rng.random() < 0.6
        return (
            self.campaign_id, kind, supporter_id, target_id, outcome,
            rng.choice(COMMENTS) if kind == ActionKind.SIGN else "",
            consent, "Yes, email me updates." if consent else "", moment if consent else None,
            rng.choice(SOURCES), referrer, "", flagged, "too_fast" if flagged else "", True, moment,
        )  # fmt: skip

    def action_rows(self, counts: _Counts):
        rng, supporters = self.rng, self.supporters
        for supporter in supporters:
            yield self.action_row(ActionKind.SIGN, supporter)
        for supporter in rng.sample(supporters, counts.email):
            later = min(self.now, supporter[2] + datetime.timedelta(minutes=rng.randrange(1, 30)))
            # Like the real email step: one action per supporter, one outbox row per target.
            yield self.action_row(ActionKind.EMAIL, supporter, moment=later)
        for _ in range(counts.call):
            supporter = supporters[rng.randrange(len(supporters))]
            yield self.action_row(
                ActionKind.CALL,
                supporter,
                target_id=rng.choice(self.target_ids),
                outcome=rng.choice(CALL_OUTCOMES),
                moment=_moment(rng, self.now, self.days),
            )
        for _ in range(counts.share):
            supporter = supporters[rng.randrange(len(supporters))]
            yield self.action_row(
                ActionKind.SHARE,
                supporter,
                outcome=rng.choice(SHARE_CHANNELS),
                moment=_moment(rng, self.now, self.days),
            )


def _totals_rebuild(*, campaign_id: int) -> None:
    """Rebuild the campaign's stored totals from the log, as ``totals_reconcile`` repairs drift."""
    # Rebuilding from nothing reports every key as "drift"; that is expected here, not news.
    services_logger = logging.getLogger(totals.__name__)
    level = services_logger.level
    services_logger.setLevel(logging.ERROR)
    try:
        totals.totals_reconcile(campaign_id=campaign_id)
    finally:
        services_logger.setLevel(level)


def generate(
    *, campaign, targets, actions: int, days: int = 42, seed: int | None = None, flag_rate=0.02, mix=None
) -> Generated:
    """Add about ``actions`` actions of every kind to ``campaign`` over the last ``days`` days."""
    rows = _Rows(
        rng=random.Random(seed),  # noqa: S311 -- test data, not secrets
        now=timezone.now(),
        days=days,
        campaign_id=campaign.pk,
        target_ids=[t.pk for t in targets] or [None],
        flag_rate=flag_rate,
    )
    counts = _Counts.split(actions, mix)
    with transaction.atomic():
        _copy_rows(Supporter._meta.db_table, SUPPORTER_COLUMNS, rows.supporter_rows(counts.sign))
        rows.supporters_load()
        first_id = (Action.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        _copy_rows(Action._meta.db_table, ACTION_COLUMNS, rows.action_rows(counts))
        _email_messages_add(
            campaign_id=campaign.pk, first_action_id=first_id, target_ids=[t for t in rows.target_ids if t]
        )
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner reads a million-row table as if it were empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE actions_action")
            cursor.execute("ANALYZE actions_supporter")
    _totals_rebuild(campaign_id=campaign.pk)
    return Generated(supporters=len(rows.supporters), actions=counts.total)
