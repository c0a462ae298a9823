"""Key rotation: re-encrypt every stored personal value under the newest key in ``PII_KEYS``.

Rotating a key: put the new key first in ``PII_KEYS`` (keep the old one after it) and deploy.
From then on new values are written under the new key and old ones still read. ``pii_rotate``
then walks every model with encrypted columns in primary-key order, in small batches, each its
own short transaction that locks only the rows it rewrites, so the site keeps running. A row is
picked when any of its encrypted values is not under the newest key (the stored prefix says
which key sealed it), so a run that is stopped simply starts again where the work remains.
When it reports nothing left, the old key can be removed from ``PII_KEYS``.

Changing ``PII_INDEX_KEY`` instead needs every blind index recomputed (``reindex``); supporters
cannot be found by email until it has run.

Layer: beside ``pii``; imports the models and nothing above them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Q

from .pii import EncryptedTextField, email_index, keyring

BATCH = 1000


@dataclass(frozen=True)
class Sealed:
    """One model and its encrypted columns."""

    model: type
    fields: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label


def sealed_models() -> list[Sealed]:
    """Every installed model with at least one encrypted column (other apps' included)."""
    found = []
    for model in apps.get_models():
        names = tuple(f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField))
        if names:
            found.append(Sealed(model, names))
    return found


def _stale(sealed: Sealed) -> Q:
    """Rows with a value not under the newest key (plaintext rows included); empty values never are."""
    prefix = keyring().current_prefix
    stale = Q()
    for name in sealed.fields:
        stale |= ~Q(**{f"{name}__startswith": prefix}) & ~Q(**{name: ""})
    return stale


def stale_count(sealed: Sealed) -> int:
    return sealed.model.objects.filter(_stale(sealed)).count()


def rotate_batch(sealed: Sealed, *, after_pk=None, size: int = BATCH):
    """Re-encrypt up to ``size`` stale rows after ``after_pk``; (rows rewritten, last pk) or (0, None)."""
    rows = sealed.model.objects.filter(_stale(sealed)).order_by("pk")
    if after_pk is not None:
        rows = rows.filter(pk__gt=after_pk)
    with transaction.atomic():
        # Locked while rewritten: a supporter's concurrent edit waits instead of being lost.
        batch = list(rows.select_for_update(of=("self",))[:size].only("pk", *sealed.fields))
        if not batch:
            return 0, None
        # Each value was decrypted on load; saving seals it again under the newest key.
        _rewrite(sealed.model, batch, sealed.fields)
    return len(batch), batch[-1].pk


def _rewrite(model, rows, names) -> None:
    """Save ``names`` of ``rows``: one UPDATE ... FROM (VALUES ...) on PostgreSQL (bulk_update's
    CASE grows with the square of the batch), bulk_update elsewhere."""
    if connection.vendor != "postgresql":
        model.objects.bulk_update(rows, list(names), batch_size=200)
        return
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    pk_column = quote(model._meta.pk.column)
    columns = [quote(field.column) for field in fields]
    placeholders = ", ".join(["(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"] * len(rows))
    params = []
    for row in rows:
        params.append(row.pk)
        params.extend(field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields)
    assignments = ", ".join(f"{column} = v.c{n}" for n, column in enumerate(columns))
    names_list = ", ".join(f"c{n}" for n in range(len(columns)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} AS t SET {assignments} "  # noqa: S608 (names from model metadata)
            f"FROM (VALUES {placeholders}) AS v(pk, {names_list}) WHERE t.{pk_column} = v.pk",
            params,
        )


def rotate(*, size: int = BATCH, progress: Callable[[str, int, int], None] | None = None) -> int:
    """Re-encrypt every stale row of every model; returns how many rows were rewritten."""
    total = 0
    for sealed in sealed_models():
        expected, done, last = stale_count(sealed), 0, None
        while True:
            count, last = rotate_batch(sealed, after_pk=last, size=size)
            if not count:
                break
            done += count
            if progress:
                progress(sealed.label, done, expected)
        total += done
    return total


def reindex(*, size: int = BATCH, after_pk=None, progress: Callable[[int], None] | None = None) -> int:
    """Recompute every supporter's blind index under the current ``PII_INDEX_KEY``."""
    from .models import Supporter

    done = 0
    while True:
        rows = Supporter.objects.order_by("pk")
        if after_pk is not None:
            rows = rows.filter(pk__gt=after_pk)
        with transaction.atomic():
            batch = list(rows.select_for_update()[:size].only("pk", "email", "email_index"))
            if not batch:
                return done
            for supporter in batch:
                supporter.email_index = email_index(supporter.email)
            _rewrite(Supporter, batch, ["email_index"])
        done += len(batch)
        after_pk = batch[-1].pk
        if progress:
            progress(done, after_pk)
