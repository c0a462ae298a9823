"""Django's PostgreSQL backend with a health check that costs no round trip when nothing is wrong.

With ``CONN_HEALTH_CHECKS`` Django asks a reused connection ``SELECT 1`` before the first query
of every request: a round trip, and the database's CPU for it, on every signature (issue 13).
A connection the server has ended (a restart, an idle timeout, a pooler closing it) has said so
on its socket: PostgreSQL sends a FATAL message and closes, so the socket reads ready. Here an
idle connection whose socket has nothing to read is taken as usable without asking; anything
waiting on the socket, or a connection that is not idle, gets Django's ``SELECT 1`` as before.

What the socket cannot show (a peer that vanished without a word, e.g. a cut network) the
``SELECT 1`` would not have caught quickly either: it would wait on TCP's own time-outs.
"""

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper
from psycopg.pq import TransactionStatus


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
    def is_usable(self):
        raw = self.connection
        if raw is None or raw.closed:
            return False
        if raw.info.transaction_status == TransactionStatus.IDLE and not _readable(raw):
            return True
        return super().is_usable()


def _readable(raw) -> bool:
    """True when the server has sent something unasked (a closing FATAL, end of file), or the
    socket cannot be polled; either way the caller asks the server properly."""
    try:
        poller = select.poll()
        poller.register(raw.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True
