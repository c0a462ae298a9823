#!/usr/bin/env bash
# Run the whole test suite. DATABASE_URL picks the database (SQLite when unset); Redis is used
# at REDIS_URL or redis://127.0.0.1:6379/15; browser tests drive /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh dev
export DJANGO_SETTINGS_MODULE=advocacy.settings.test
exec .venv/bin/python -m pytest "$@"
