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
keepalive = 5
# Recycling workers now and then bounds any slow leak, jittered so they never restart together.
max_requests = 200_000
max_requests_jitter = 20_000
accesslog = None
errorlog = "-"
loglevel = "warning"
