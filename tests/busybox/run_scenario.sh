#!/usr/bin/env bash
# Runs one busybox scenario under qemu-mipsel and under Isomorph and compares, byte for byte, what
# every step printed on stdout and stderr, every step's exit status, and the files the steps left
# behind.
#
#   run_scenario.sh ISOMORPH ENGINE BUSYBOX SCENARIO [--known-failure]
#
# ISOMORPH is the isomorph program, or the word "qemu" to run qemu-mipsel on both sides: that checks
# the scenario and this harness themselves (a scenario whose output changes from run to run is a
# defect). SCENARIO is a bash file that may define
#   setup   runs on the host in an empty directory and prepares the input files;
#   steps   calls `guest APPLET ARGS...` once per busybox command; each call runs
#           `busybox APPLET ARGS...` in the prepared directory with stdin from /dev/null unless the
#           call redirects it (`guest sort <input.txt`);
# and may set step_timeout, the seconds one step may take (30 unless set).
# Both sides start from copies of one prepared directory (cp -a keeps contents, modes and times).
#
# --known-failure marks a scenario that tests/busybox/known-failures.txt lists as not passing yet:
# a difference then passes (and is shown), and a match fails, so that the list is pruned as soon as
# Isomorph gets the scenario right. A missing busybox or a broken scenario fails either way.
set -u
if [ $# != 4 ] && { [ $# != 5 ] || [ "$5" != --known-failure ]; }; then
    echo "usage: $0 ISOMORPH|qemu ENGINE BUSYBOX SCENARIO [--known-failure]" >&2
    exit 2
fi
isomorph=$1 engine=$2 busybox=$3 scenario=$4 known_failure=${5:-}
# The steps run in other directories: make the paths absolute.
absolute() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
busybox=$(absolute "$busybox")
scenario=$(absolute "$scenario")
[ "$isomorph" = qemu ] || isomorph=$(absolute "$isomorph")

if [ ! -f "$busybox" ]; then
    echo "FAIL: busybox not found at $busybox"
    echo "      Run scripts/fetch-guest-software (scripts/test does) to download busybox-static:mipsel."
    exit 1
fi
qemu=$(command -v qemu-mipsel) || { echo "FAIL: qemu-mipsel not found (run scripts/install-dependencies)"; exit 1; }
[ -f "$scenario" ] || { echo "FAIL: no scenario file $scenario"; exit 1; }

setup() { :; }
steps() { echo "scenario $scenario defines no steps" >&2; return 1; }
# A scenario may set step_timeout (seconds) lower, when a hang is the likely way it fails.
step_timeout=30
# shellcheck source=/dev/null
source "$scenario"
step_timeout=${ISOMORPH_BUSYBOX_STEP_TIMEOUT:-$step_timeout}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/template"
(cd "$work/template" && set -e && setup) || { echo "FAIL: the scenario's setup failed"; exit 1; }

# The guest sees a small fixed environment, the same on both sides: no host PATH (busybox would
# otherwise find host programs), the C locale and UTC.
guest_environment=(env -i PATH=/nonexistent HOME=/nonexistent LC_ALL=C TZ=UTC)

# guest APPLET ARGS...: one step on the current side; appends to $side_log.out and $side_log.err.
guest() {
    step=$((step + 1))
    # The header names the step without repeating a whole script: newlines become spaces and long
    # command lines are cut.
    local summary="$*"
    summary=${summary//$'\n'/ }
    [ "${#summary}" -gt 100 ] && summary="${summary:0:100}..."
    local header="--- step $step: busybox $summary"
    local command
    # After one step timed out on a side, the test has failed: skip the rest there, so that a hung
    # engine costs one timeout, not one per step.
    if [ "$side_timed_out" = yes ]; then
        echo "$header (skipped after a time-out)" | tee -a "$side_log.err" >>"$side_log.out"
        return 0
    fi
    if [ "$side" = reference ] || [ "$isomorph" = qemu ]; then
        command=("$qemu" "$busybox")
    else
        command=("$isomorph" run --engine "$engine" "$busybox")
    fi
    # The braces send the shell's own note about a guest killed by a signal to /dev/null.
    { timeout --kill-after=5 "$step_timeout" "${guest_environment[@]}" "${command[@]}" "$@" \
        >"$work/step.out" 2>"$work/step.err"; } 2>/dev/null
    local status=$?
    {
        echo "$header"
        cat "$work/step.out"
        echo "--- exit status $status"
    } >>"$side_log.out"
    {
        echo "$header"
        # A guest killed by a signal is reported differently by each emulator (qemu prints a core
        # dump note): compare the status only.
        if [ "$status" -lt 128 ]; then cat "$work/step.err"; else echo "(killed by a signal: stderr not compared)"; fi
    } >>"$side_log.err"
    if [ "$status" = 124 ]; then
        echo "step $step timed out after $step_timeout seconds on the $side side: busybox $*" >>"$work/notes"
        side_timed_out=yes
    fi
    return 0
}

# Lists a directory tree: type, permissions, name, and the contents' checksum for regular files or
# the target for symbolic links.
describe_tree() {
    (cd "$1" && find . -mindepth 1 -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' path; do
        if [ -L "$path" ]; then
            echo "link $path -> $(readlink "$path")"
        elif [ -f "$path" ]; then
            echo "file $(stat -c %a "$path") $path $(sha256sum <"$path" | cut -c1-64)"
        else
            echo "$(stat -c '%F %a' "$path") $path"
        fi
    done)
}

for side in reference candidate; do
    cp -a "$work/template" "$work/$side"
    side_log=$work/$side
    step=0
    side_timed_out=no
    : >"$side_log.out"
    : >"$side_log.err"
    # The steps run in this shell (not a subshell) so that the step count survives.
    cd "$work/$side" || exit 1
    steps </dev/null || { echo "FAIL: the scenario's steps failed on the $side side"; exit 1; }
    cd "$work" || exit 1
    describe_tree "$work/$side" >"$side_log.tree"
done

candidate_name=isomorph
[ "$isomorph" = qemu ] && candidate_name="qemu-mipsel (second run)"
failed=0
compare() {
    if ! cmp -s "$work/reference.$1" "$work/candidate.$1"; then
        echo "$2: qemu-mipsel and $candidate_name differ"
        # --text: a step may print binary data; long lines are cut so the report stays readable.
        diff -u --text --label qemu-mipsel --label "$candidate_name" "$work/reference.$1" "$work/candidate.$1" |
            head -n 60 | cut -c 1-300
        failed=1
    fi
}
compare out "stdout (with each step's exit status)"
compare err "stderr"
compare tree "the files left behind"
[ -f "$work/notes" ] && cat "$work/notes"
# ISOMORPH_BUSYBOX_SHOW=1 prints what the reference printed, to read what a scenario exercises.
if [ "${ISOMORPH_BUSYBOX_SHOW:-}" = 1 ]; then
    echo "=== qemu-mipsel stdout:"; cat "$work/reference.out"
    echo "=== qemu-mipsel stderr:"; cat "$work/reference.err"
    echo "=== files left behind:"; cat "$work/reference.tree"
fi
name=$(basename "$scenario" .sh)
if [ -n "$known_failure" ]; then
    if [ "$failed" != 0 ]; then
        echo "known failure: $engine $name is listed in tests/busybox/known-failures.txt and still differs"
        exit 0
    fi
    echo "UNEXPECTED MATCH: $engine $name now matches qemu-mipsel in all $step steps."
    echo "Remove the line '$engine $name' from tests/busybox/known-failures.txt."
    exit 1
fi
if [ "$failed" != 0 ]; then
    echo "FAIL: $name"
    exit 1
fi
echo "match: $step steps, $(wc -c <"$work/reference.out") bytes of stdout, $(wc -c <"$work/reference.err") bytes of stderr"
