"""The PostgreSQL backend's health check (advocacy/postgresql): no round trip on a quiet healthy
connection, and a connection the server has ended is noticed before a request uses it."""

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the backend is PostgreSQL's"),
]


def test_the_backend_is_ours_and_a_healthy_idle_connection_is_usable_without_asking(tmp_path):
    assert connections["default"].__class__.__module__ == "advocacy.postgresql.base"
    connection.ensure_connection()
    raw = connection.connection
    with open(tmp_path / "trace", "w") as trace:
        raw.pgconn.trace(trace.fileno())  # libpq writes every protocol message it sends or reads
        try:
            assert connection.is_usable()
        finally:
            raw.pgconn.untrace()
    assert (tmp_path / "trace").read_text() == ""  # no SELECT 1: nothing went to the server
    with open(tmp_path / "trace2", "w") as trace:
        raw.pgconn.trace(trace.fileno())
        try:
            with connection.cursor() as cursor:  # the same trace does see a real query
                cursor.execute("SELECT 1")
        finally:
            raw.pgconn.untrace()
    assert "SELECT 1" in (tmp_path / "trace2").read_text()


def test_a_connection_the_server_ended_is_not_usable_and_django_reconnects():
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()
    assert _wait_until_unusable(connection)
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_health_checks_close_an_ended_connection_before_the_next_query(settings):
    connection.settings_dict["CONN_HEALTH_CHECKS"] = True
    connection.settings_dict["CONN_MAX_AGE"] = 60
    try:
        connection.close()
        connection.connect()
        pid = connection.connection.info.backend_pid
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            other.close()
        _wait_until_unusable(connection)
        connection.health_check_done = False  # as at the start of a request
        with connection.cursor() as cursor:  # would fail on the ended session without the check
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] != pid
    finally:
        connection.settings_dict["CONN_HEALTH_CHECKS"] = False
        connection.settings_dict["CONN_MAX_AGE"] = 0
        connection.close()


def _wait_until_unusable(conn, seconds: float = 5.0) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not conn.is_usable():
            return True
        time.sleep(0.05)
    return False
