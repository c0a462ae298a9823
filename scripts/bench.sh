#!/usr/bin/env bash
# Benchmarks (not tests; never run in CI): install what they need, then run bench/run.py, which
# starts the real stack on 127.0.0.1 against its own database and Redis db and prints one table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh runtime
.venv/bin/python -m pip install --quiet -r bench/requirements.txt

if ! command -v wrk >/dev/null; then
  echo "Installing wrk (Debian package) ..."
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  fi
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "PostgreSQL does not answer on 127.0.0.1:5432; start it (see .ci/run) and try again." >&2
  exit 1
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Redis does not answer on 127.0.0.1:6379; start it (see .ci/run) and try again." >&2
  exit 1
fi
# "make bench" runs bench.run; "make bench-workers" runs bench.workers (gunicorn worker classes compared).
exec .venv/bin/python -m "bench.${1:-run}"
