#!/usr/bin/env bash
# --strace shows signals as strace does: a line when a handler is about to run, one when it
# returns through (rt_)sigreturn, the end of the process, and a [pid TID] prefix on the lines of
# threads other than the main one; and its lines go on after the guest replaced and closed its own
# fd 2 (they go to the emulator's private copy of stderr, never into the guest's files).
# Usage: check_strace_signals.sh ISOMORPH ENGINE PROGRAMS_DIR
set -u
isomorph=$1 engine=$2 programs=$3
# shellcheck source=tests/diff/engine_options.sh
source "$(dirname "${BASH_SOURCE[0]}")/engine_options.sh"
engine_options_for "$engine"
trace=$(mktemp)
trap 'rm -f "$trace"' EXIT
failed=0
expect() { # expect PATTERN DESCRIPTION
    if ! grep -Eq -- "$1" "$trace"; then
        echo "FAIL: no line for $2 (pattern: $1)"
        failed=1
    fi
}

"$isomorph" run "${engine_options[@]}" --strace "$programs/sig_context" >/dev/null 2>"$trace"
expect '^--- SIGSEGV \{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x[0-9a-f]+\} ---$' "a SIGSEGV handler"
expect '^--- SIGBUS \{si_signo=SIGBUS, si_code=BUS_ADRALN, si_addr=0x[0-9a-f]+\} ---$' "a SIGBUS handler"
expect '^rt_sigreturn\(\{mask=\[[A-Z0-9_ ]*\]\}\) = -?[0-9]+$' "rt_sigreturn"
expect '^\+\+\+ exited with 0 \+\+\+$' "the end of the process"

"$isomorph" run "${engine_options[@]}" --strace "$programs/thread_signals" >/dev/null 2>"$trace"
expect '^\[pid [0-9]+\] --- SIGUSR1 \{si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=[0-9]+, si_uid=[0-9]+\} ---$' \
    "pthread_kill's signal in the thread"
expect '^\[pid [0-9]+\] sigreturn\(\{mask=\[\]\}\) = -?[0-9]+$' "sigreturn in a thread"
expect '^\[pid [0-9]+\] exit\(0\) = \?$' "a thread's exit"

"$isomorph" run "${engine_options[@]}" --strace "$programs/fault_null_pointer" >/dev/null 2>"$trace"
expect '^\+\+\+ killed by SIGSEGV \+\+\+$' "a fatal signal"

output=$("$isomorph" run "${engine_options[@]}" --strace "$programs/stderr_redirected" 2>"$trace")
expected="the guest's fd 2 holds 33 bytes: written by the guest to its fd 2
fd 2 closed"
if [ "$output" != "$expected" ]; then
    echo "FAIL: the guest's fd 2 held more than the guest wrote, or the program failed:"
    echo "$output"
    failed=1
fi
expect '^dup2\([0-9]+, 2\) = 2$' "the guest replacing its fd 2"
expect '^close\(2\) = 0$' "the guest closing its fd 2"
expect '^write\(1, "fd 2 closed\\n", 12\) = 12$' "a system call after fd 2 was closed"
expect '^\+\+\+ exited with 0 \+\+\+$' "the end of that process"

if [ "$failed" != 0 ]; then
    echo "--- the last trace:"
    tail -20 "$trace"
    exit 1
fi
echo "strace signal lines present"
