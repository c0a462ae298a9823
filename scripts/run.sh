#!/usr/bin/env bash
# Set up and run the site locally: virtual environment, pinned install, migrations, the Kang Hen
# campaign, then the web server, plus a Celery worker and beat when Redis is reachable.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh runtime
bash scripts/fonts.sh || true
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-advocacy.settings.dev}
host=${HOST:-127.0.0.1}
port=${PORT:-8000}
mkdir -p var

redis_reachable() {
  .venv/bin/python - "$1" <<'PY'
import socket, sys
from urllib.parse import urlparse
url = urlparse(sys.argv[1])
try:
    socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=1).close()
except OSError:
    sys.exit(1)
PY
}

if [ -z "${REDIS_URL:-}" ] && redis_reachable redis://127.0.0.1:6379/0; then
  export REDIS_URL=redis://127.0.0.1:6379/0
elif [ -n "${REDIS_URL:-}" ] && ! redis_reachable "$REDIS_URL"; then
  echo "REDIS_URL is set but Redis does not answer at it; running tasks eagerly instead."
  unset REDIS_URL
fi

# The interface's translations: .po -> .mo with polib (no gettext tools needed).
.venv/bin/python scripts/messages.py compile >/dev/null
.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py load_campaign --with-admin | tee var/load.log

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

echo
if [ -n "${REDIS_URL:-}" ]; then
  echo "Celery: a worker and beat run against Redis at ${REDIS_URL} (logs in var/celery-*.log)."
  if [ "${EMAIL_WORKER:-0}" = "1" ]; then
    # A dedicated pool for the "email" queue (as production runs it; see docs/scaling.md) and
    # one for everything else.
    echo "        EMAIL_WORKER=1: the email queue has its own worker (var/celery-email.log)."
    .venv/bin/celery -A advocacy worker -Q celery,webhooks --loglevel=INFO --concurrency=1 -n default@%h \
      >var/celery-worker.log 2>&1 &
    pids+=($!)
    .venv/bin/celery -A advocacy worker -Q email --loglevel=INFO --concurrency=2 -n email@%h \
      >var/celery-email.log 2>&1 &
    pids+=($!)
  else
    # One worker consumes every queue ("celery", "email", "webhooks"); EMAIL_WORKER=1 gives email its own.
    .venv/bin/celery -A advocacy worker --loglevel=INFO --concurrency=2 >var/celery-worker.log 2>&1 &
    pids+=($!)
  fi
  .venv/bin/celery -A advocacy beat --loglevel=INFO --schedule=var/celerybeat-schedule >var/celery-beat.log 2>&1 &
  pids+=($!)
else
  echo "Celery: no Redis reachable, so tasks run eagerly in the web process after each commit."
  echo "        (Start Redis, or set REDIS_URL, for a real worker.)"
fi
campaign=$(grep -o 'at /[^ ]*' var/load.log | head -1 | cut -c4-)
echo "Site:      http://${host}:${port}/"
echo "Campaign:  http://${host}:${port}${campaign}"
echo "Admin:     http://${host}:${port}/admin/  ($(grep -o 'admin / .*' var/load.log | head -1))"
echo
.venv/bin/python manage.py runserver "${host}:${port}"
