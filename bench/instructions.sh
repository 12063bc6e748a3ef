#!/usr/bin/env bash
# Counts the machine instructions of one Iridium workload run, whole process, with valgrind's callgrind:
# a figure that repeats on a busy shared machine where wall times do not. V8 runs --single-threaded so that
# its compiler cannot race the program (counts then repeat within about 2%).
#
#   bash bench/instructions.sh bench/workloads/w1.iasm --tier interpreter
#
# Prints `instructions: N`. Use smaller workloads than the peer benchmark's (valgrind runs them about 50
# times slower), e.g. W1 with its count edited to 20000000. Compare two versions of the code by running
# this on each checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
# The pinned Deno's own binary (not npm's launcher script, which valgrind would count too).
node tools/deno/run.mjs --version >/dev/null
deno=tools/deno/node_modules/deno/deno
[[ -x $deno ]] || { echo "the pinned Deno is missing: $deno (run 'node tools/deno/run.mjs --version')" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! valgrind --tool=callgrind --callgrind-out-file=/dev/null --smc-check=all-non-file \
  "$deno" run -A --v8-flags=--single-threaded bench/run_workload.ts "$@" >/dev/null 2>"$log"; then
  grep -v '^==' "$log" >&2
  exit 1
fi
count=$(sed -nE 's/^==[0-9]+== Collected : ([0-9]+)/\1/p' "$log")
[[ -n $count ]] || { echo "callgrind reported no count" >&2; exit 1; }
echo "instructions: $count"
