#!/usr/bin/env bash
# Runs a guest program under Isomorph in an empty directory and compares its stdout and stderr
# with an expected text. Usage: run_expected.sh ISOMORPH ENGINE EXPECTED PROGRAM [ARGS...]
set -u
isomorph=$1 engine=$2 expected=$3
shift 3
# shellcheck source=tests/diff/engine_options.sh
source "$(dirname "${BASH_SOURCE[0]}")/../diff/engine_options.sh"
engine_options_for "$engine"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && exec "$isomorph" run "${engine_options[@]}" "$@" >"$work/out" 2>&1 </dev/null)
status=$?
if ! cmp -s "$expected" "$work/out"; then
    echo "output differs from $expected:"
    diff -u "$expected" "$work/out" | head -40
    exit 1
fi
if [ "$status" != 0 ]; then
    echo "exit status $status, expected 0"
    exit 1
fi
echo "match: $(wc -c <"$work/out") bytes of output"
