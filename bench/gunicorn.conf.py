"""Gunicorn as a production web host would run it; ``bench/run.py`` passes the numbers.

Threads let one worker overlap database and Redis waits; workers use both cores. Each knob can
be set through the environment so a run can compare configurations.
"""

import os

bind = os.environ.get("BENCH_BIND", "127.0.0.1:8731")
workers = int(os.environ.get("WEB_WORKERS", "4"))
worker_class = os.environ.get("WEB_WORKER_CLASS", "gthread")
threads = int(os.environ.get("WEB_THREADS", "4"))
backlog = 2048
# A gthread worker takes new connections whether or not its threads are free, and a persistent
# connection stays with the worker that took it. Uncapped, one worker could take all of wrk's
# connections in the instant they open and serve them on one core while the others idled: the
# bare view's capacity came out 1,085/s (one busy worker) or 2,584/s (two) on the same code, run
# to run. The cap leaves room for the read phases' two wrk runs (BENCH_CONNECTIONS readers and
# BENCH_READ_SIGN_CONNECTIONS signers) and the bench's own clients; the capacity phases'
# BENCH_CAPACITY_CONNECTIONS (64) are more than two workers may hold.
_connections = int(os.environ.get("BENCH_CONNECTIONS", "64")) + int(os.environ.get("BENCH_READ_SIGN_CONNECTIONS", "32"))
worker_connections = int(os.environ.get("WEB_WORKER_CONNECTIONS", str(-(-(_connections + 8) // workers))))
keepalive = 5
# Recycling workers now and then bounds any slow leak, jittered so they never restart together.
max_requests = 200_000
max_requests_jitter = 20_000
accesslog = None
errorlog = "-"
loglevel = "warning"
