"""CPU spent per request, by part of the stack, read from the kernel's process counters.

Wall-clock rates depend on what else the machine is doing; CPU seconds per request much less
so. A ``CpuMeter`` snapshots utime+stime (``/proc/<pid>/stat``) of every process in each group
before and after a phase: the web server (gunicorn and its workers), the Celery worker and its
children, the PostgreSQL backends serving the bench database, and the Redis server. Processes
that start during the phase count from zero; a process that ends during it loses its share,
which with persistent connections and long-lived workers is none.

The Redis server is shared with anything else on the machine that uses it, so its figure is an
upper bound when other work runs.
"""

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        try:
            kids = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for kid in map(int, kids):
            if kid not in found:
                found.add(kid)
                todo.append(kid)
    return found


def _ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


class CpuMeter:
    """``groups`` maps a name to a function returning that group's current pids."""

    def __init__(self, groups):
        self.groups = groups
        self._start: dict[str, dict[int, int]] = {}

    def _snapshot(self) -> dict[str, dict[int, int]]:
        return {name: {pid: _ticks(pid) for pid in pids()} for name, pids in self.groups.items()}

    def start(self) -> None:
        self._start = self._snapshot()

    def stop(self) -> dict[str, float]:
        """CPU seconds per group since ``start``."""
        end = self._snapshot()
        used = {}
        for name, ticks in end.items():
            before = self._start.get(name, {})
            used[name] = sum(max(0, t - before.get(pid, 0)) for pid, t in ticks.items()) / TICKS
        return used


def stack_groups(*, web_pid: int, worker_pid: int, database: str, redis_port: int):
    """The groups of one bench run: its gunicorn, its Celery worker, its database's backends, Redis."""

    def tree(pid):
        return lambda: {pid, *_children(pid)}

    def postgres():
        return {
            pid for pid in _all_pids() if _cmdline(pid).startswith("postgres: ") and f" {database} " in _cmdline(pid)
        }

    def redis():
        return {
            pid for pid in _all_pids() if _cmdline(pid).startswith("redis-server") and f":{redis_port}" in _cmdline(pid)
        }

    return {"web": tree(web_pid), "worker": tree(worker_pid), "postgres": postgres, "redis": redis}


def per_request(used: dict[str, float], requests: int) -> dict:
    """Milliseconds of CPU per request, per group and in all."""
    if not requests:
        return {}
    figures = {name: round(1000 * seconds / requests, 2) for name, seconds in used.items()}
    figures["total"] = round(sum(figures.values()), 2)
    return figures
