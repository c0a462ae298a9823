"""A first-time signer's supporter row and signature written in one statement (PostgreSQL).

Most signatures in a spike come from people the engine has never seen. The general path asks
whether the email is known, creates the supporter, then the signature: three round trips and a
transaction (plus a savepoint so that a concurrent twin cannot break it). On PostgreSQL one
statement does the same work atomically:

    WITH new_supporter AS (
        INSERT INTO supporter (...) VALUES (...) ON CONFLICT (email_index) DO NOTHING RETURNING id
    )
    INSERT INTO action (supporter_id, ...) SELECT id, ... FROM new_supporter RETURNING id

Personal columns are encrypted and ``email_index`` is the blind index (``actions.pii``): both
come out of each field's own ``get_db_prep_save``, so the statement never sees plaintext.

When the email index already exists the CTE returns no row, so nothing at all is written and the
caller takes the general path (a returning supporter, a repeat, a concurrent twin). Any other
conflict (a repeated random UUID or referral code) fails the one statement, which writes
nothing either, and is answered the same way.

The rows are built as Django instances first, so defaults, ``auto_now_add`` and each field's
database conversion are Django's own; only the statement is written here. Model signals are
not sent by this statement, so the shortcut is used only while no ``pre_save``/``post_save``
receiver listens to supporters or actions (checked on every call: a receiver added later turns
it off by itself).

Layer: beside the models; imports nothing else of the app.
"""

from functools import cache
from typing import NamedTuple

import psycopg
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save, pre_save

from .models import Action, Supporter

# Receivers connected to every model that only ever act on other kinds of instance: Wagtail sets
# the locale of new translatable objects (supporters and actions are not).
_HARMLESS_RECEIVERS = {"wagtail.models.i18n.set_locale_on_new_instance"}


def _listened(signal, model) -> bool:
    if not signal.has_listeners(model):
        return False
    sync_receivers, async_receivers = signal._live_receivers(model)
    names = {f"{r.__module__}.{getattr(r, '__qualname__', r)}" for r in (*sync_receivers, *async_receivers)}
    return bool(names - _HARMLESS_RECEIVERS)


def available() -> bool:
    """True when the one-statement insert may be used on this connection."""
    if connection.vendor != "postgresql":
        return False
    return not any(_listened(signal, model) for signal in (pre_save, post_save) for model in (Supporter, Action))


def _insert_fields(model, skip=()) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in skip]


@cache
def _statement() -> str:
    supporter_fields = _insert_fields(Supporter)
    action_fields = _insert_fields(Action, skip=("supporter_id",))
    supporter_table = connection.ops.quote_name(Supporter._meta.db_table)
    action_table = connection.ops.quote_name(Action._meta.db_table)
    quote = connection.ops.quote_name
    # Casts give each value its column's type: in a SELECT list a bare NULL or literal has none.
    cast = lambda field: f"CAST(%s AS {field.cast_db_type(connection)})"  # noqa: E731
    email_index = quote(Supporter._meta.get_field("email_index").column)
    return (
        f"WITH new_supporter AS ("  # noqa: S608 (identifiers from model metadata; values are parameters)
        f"INSERT INTO {supporter_table} ({', '.join(quote(f.column) for f in supporter_fields)}) "
        f"VALUES ({', '.join(cast(f) for f in supporter_fields)}) "
        f"ON CONFLICT ({email_index}) DO NOTHING RETURNING id) "
        f"INSERT INTO {action_table} ({quote('supporter_id')}, {', '.join(quote(f.column) for f in action_fields)}) "
        f"SELECT new_supporter.id, {', '.join(cast(f) for f in action_fields)} FROM new_supporter "
        f"RETURNING id, {quote('supporter_id')}"
    )


def _values(model, instance, skip=()) -> list:
    return [
        field.get_db_prep_save(field.pre_save(instance, add=True), connection)
        for field in _insert_fields(model, skip=skip)
    ]


class _PreparedCursor(psycopg.Cursor):
    """psycopg's server-side binding cursor, preparing what it runs.

    Django's own cursors bind on the client (every value quoted into the text) and never prepare,
    so PostgreSQL would parse and plan this long statement for every signature. Here the text is
    parsed and planned once per database connection and each signature sends only its values
    (issue 13: about a tenth of the database's CPU per signature, and the client's quoting)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)
        if self._query is None:
            # psycopg keeps no text for a prepared run; Django's query log reads it from here
            # (the text with its placeholders: the values, encrypted or not, are never logged).
            self._query = _Sent(query.encode(), None)
        return self


class _Sent(NamedTuple):
    query: bytes
    params: None


def _cursor():
    """A Django cursor (health check, error translation, query logging and execute wrappers as
    for any query) over a ``_PreparedCursor`` when prepared statements are allowed."""
    if not settings.DATABASE_PREPARED_STATEMENTS:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django turns psycopg's preparing off (None), which also refuses an explicit prepare.
        # A threshold no query reaches keeps the automatic kind off and lets this one through;
        # Django's client-side cursors never prepare whatever it says.
        raw.prepare_threshold = 2**31
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_PreparedCursor(raw))


def _run(params: list) -> tuple | None:
    with _cursor() as cursor:
        cursor.execute(_statement(), params)
        return cursor.fetchone()


def signature_insert(supporter: Supporter, action: Action) -> bool:
    """Write the new ``supporter`` and their ``action`` together; False (nothing written) when the
    email index is already taken or the statement cannot be used. On True both instances carry
    their ids and read as saved."""
    params = _values(Supporter, supporter) + _values(Action, action, skip=("supporter_id",))
    try:
        if connection.in_atomic_block:
            # Inside a caller's transaction a failed statement would break it: keep it apart.
            with transaction.atomic():
                row = _run(params)
        else:
            row = _run(params)  # autocommit: the one statement is its own transaction
    except IntegrityError:
        return False
    if row is None:
        return False
    action.pk, supporter.pk = row
    action.supporter = supporter
    for instance in (supporter, action):
        instance._state.adding = False
        instance._state.db = connection.alias
    return True
