#!/usr/bin/env bash
# Install (if needed) and run the test suite. Extra arguments go to pytest.
# Installs the test, serve and ray extras so every test runs; the browser test also
# needs Debian's chromium (.ci/run installs it) and skips with a reason without it.
set -euo pipefail
cd "$(dirname "$0")/.."
NEWSGIST_EXTRAS=${NEWSGIST_EXTRAS:-test,serve,ray} bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
