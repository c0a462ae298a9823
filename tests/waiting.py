"""Small helpers for tests that wait on another process, thread or service.

Wait for what should happen by polling to a deadline, never by a fixed sleep; then check what
must not happen once nothing is left in flight (see ``tasks_run``).
"""

import socket
import time


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.1) -> bool:
    """Poll ``predicate`` until it is true (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def tasks_run(publish, *, timeout: float = 20.0) -> list:
    """Call ``publish()`` (it returns the AsyncResults of the tasks it queued) and wait until a
    worker thread of this process has run each task; return their return values, in order.

    Results are read from Celery's task_postrun signal, since the project keeps no result
    backend. Once this returns, none of those tasks can still do anything.
    """
    from celery.signals import task_postrun

    finished = {}

    def record(task_id=None, retval=None, **kwargs):
        finished[task_id] = retval

    task_postrun.connect(record, weak=False)
    try:
        ids = [result.id for result in publish()]
        if not wait_for(lambda: all(task_id in finished for task_id in ids), timeout):
            raise AssertionError(f"{sum(i not in finished for i in ids)} of {len(ids)} task(s) never ran")
    finally:
        task_postrun.disconnect(record)
    return [finished[task_id] for task_id in ids]


def closed_port() -> int:
    """A local port nothing listens on: bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
