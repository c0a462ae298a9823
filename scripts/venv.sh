#!/usr/bin/env bash
# Create .venv with the newest supported Python on PATH (python3.13, python3.12, then python3.11;
# PYTHON=/path/to/python overrides) and install the pinned requirements; skipped when current.
# An existing .venv made by another supported Python is kept; one whose Python is unsupported or
# gone is rebuilt.
# Usage: scripts/venv.sh [runtime|dev]
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-runtime}
req=requirements.txt
[ "$kind" = dev ] && req=requirements-dev.txt
supported="3.13 3.12 3.11" # newest first, the order the names on PATH are tried in

# "3.12" for an interpreter that runs, nothing for one that does not (a pyenv shim for a version
# that is installed but not selected exits with an error instead of running it).
version_of() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true; }
is_supported() { [ -n "$1" ] && [[ " $supported " == *" $1 "* ]]; }

# Sets python and python_version to the interpreter a new .venv would use; lists what was found
# in tried. Returns 1 when none is supported.
python_choose() {
  tried=
  if [ -n "${PYTHON:-}" ]; then
    python=$PYTHON python_version=$(version_of "$PYTHON")
    tried="PYTHON=$PYTHON (${python_version:-does not run})"
    is_supported "$python_version"
    return
  fi
  for python in python3.13 python3.12 python3.11 python3; do
    command -v "$python" >/dev/null || continue
    python_version=$(version_of "$python")
    tried="$tried${tried:+, }$python (${python_version:-does not run})"
    is_supported "$python_version" && return
  done
  return 1
}

refuse() {
  echo "Python 3.11, 3.12 or 3.13 is needed; found: ${tried:-no python3 on PATH}." >&2
  echo "Install one, or set PYTHON=/path/to/python3.x." >&2
  exit 1
}

chosen=yes
python_choose || chosen=
# An interpreter asked for by name must be a supported one, even when .venv would do.
[ -n "${PYTHON:-}" ] && [ -z "$chosen" ] && refuse
venv_version=$(version_of .venv/bin/python)
if is_supported "$venv_version"; then
  if [ -n "$chosen" ] && [ "$python_version" != "$venv_version" ]; then
    echo "Keeping .venv (Python $venv_version); remove it to rebuild it with $python (Python $python_version)."
  fi
elif [ -z "$chosen" ]; then
  refuse
elif [ -L .venv ]; then
  # A link to a virtual environment elsewhere is someone else's: never clear it from here.
  echo ".venv links to $(readlink .venv), whose Python (${venv_version:-none that runs}) is not 3.11-3.13." >&2
  exit 1
elif [ -e .venv ]; then
  echo "Rebuilding .venv with $python (Python $python_version): its Python (${venv_version:-none that runs}) is not 3.11-3.13."
  "$python" -m venv --clear .venv
else
  echo "Creating the virtual environment in .venv with $python (Python $python_version) ..."
  "$python" -m venv .venv
fi

stamp=.venv/.installed-$kind
want=$(cat requirements.txt "$req" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Installing pinned packages from $req ..."
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r "$req"
  echo "$want" > "$stamp"
fi
