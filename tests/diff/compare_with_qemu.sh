#!/usr/bin/env bash
# Runs a guest program under qemu-mipsel and under Isomorph and compares what they print and how
# they end. Usage: compare_with_qemu.sh ISOMORPH ENGINE PROGRAM [ARGS...]
# When the guest is killed by a signal, stderr is not compared (each emulator reports it its own
# way) but the exit status, 128 + the signal number, still must match.
set -u
isomorph=$1 engine=$2
shift 2
# shellcheck source=tests/diff/engine_options.sh
source "$(dirname "${BASH_SOURCE[0]}")/engine_options.sh"
engine_options_for "$engine"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && mkdir q i)
(cd "$work/q" && exec qemu-mipsel "$@" >"$work/qemu.out" 2>"$work/qemu.err" </dev/null)
qemu_status=$?
(cd "$work/i" && exec "$isomorph" run "${engine_options[@]}" "$@" >"$work/isomorph.out" 2>"$work/isomorph.err" </dev/null)
isomorph_status=$?

failed=0
if ! cmp -s "$work/qemu.out" "$work/isomorph.out"; then
    echo "stdout differs (qemu-mipsel vs isomorph):"
    diff -u "$work/qemu.out" "$work/isomorph.out" | head -40
    failed=1
fi
if [ "$qemu_status" -lt 128 ] && ! cmp -s "$work/qemu.err" "$work/isomorph.err"; then
    echo "stderr differs (qemu-mipsel vs isomorph):"
    diff -u "$work/qemu.err" "$work/isomorph.err" | head -40
    failed=1
fi
if [ "$qemu_status" != "$isomorph_status" ]; then
    echo "exit status differs: qemu-mipsel $qemu_status, isomorph $isomorph_status"
    failed=1
fi
if [ "$failed" != 0 ]; then
    echo "--- isomorph stderr:"; head -20 "$work/isomorph.err"
    exit 1
fi
echo "match: $(wc -c <"$work/qemu.out") bytes of output, exit status $qemu_status"
