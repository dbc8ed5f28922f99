#!/usr/bin/env bash
# Runs scripts/trace-compare and checks its exit status and, for a planted divergence
# (ISOMORPH_TEST_PERTURB_SYSCALL in the test's environment), that its report names the expected
# system call and register: each REGEX must match a line of the report (grep -E).
# Usage: check_trace_compare.sh EXPECTED-STATUS [REGEX...] -- TRACE-COMPARE-ARGUMENTS...
set -u
expected_status=$1
shift
patterns=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    patterns+=("$1")
    shift
done
shift
repository=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
report=$("$repository/scripts/trace-compare" "$@" 2>&1)
status=$?
printf '%s\n' "$report"
if [ "$status" != "$expected_status" ]; then
    echo "FAIL: trace-compare exited with $status, expected $expected_status"
    exit 1
fi
for pattern in "${patterns[@]}"; do
    if ! grep -qE -- "$pattern" <<<"$report"; then
        echo "FAIL: the report has no line matching: $pattern"
        exit 1
    fi
done
