#!/usr/bin/env bash
# Run the whole test suite. DATABASE_URL picks the database (SQLite when unset); Redis is used
# at REDIS_URL or redis://127.0.0.1:6379/15; browser tests drive /usr/bin/chromium and inject
# axe-core from node_modules (installed here with npm when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh dev
bash scripts/fonts.sh
# axe-core (accessibility checks in the browser tests) comes pinned from package-lock.json.
if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
fi
export DJANGO_SETTINGS_MODULE=advocacy.settings.test
# The interface's translations: .po -> .mo with polib (no gettext tools needed).
.venv/bin/python scripts/messages.py compile >/dev/null
exec .venv/bin/python -m pytest "$@"
