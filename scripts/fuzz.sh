#!/usr/bin/env bash
# Long fuzz run: N generated inputs (mutated articles, random Unicode, control and
# invisible marks, broken HTML, huge repeats) through newsgist; prints the counts
# (inputs, untyped exceptions, stage errors, span violations, inputs over 10 s, the
# slowest input) and saves failing inputs to fuzz-failures.jsonl. Exit 1 on any failure.
#   scripts/fuzz.sh N [--card-every K] [--seed S] [--save PATH] [--max-seconds T]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  echo "usage: scripts/fuzz.sh N [--card-every K] [--seed S] [--save PATH]" >&2
  exit 2
fi
exec .venv/bin/python tests/test_fuzz.py "$@"
