#!/usr/bin/env bash
# Runs every program of the guest corpus under Isomorph's reference interpreter with instruction
# counting, and fails listing every row of the instruction table (integer and FPU) that no
# program executed. Usage: instruction_coverage.sh ISOMORPH PROGRAM_DIRECTORY
set -u
isomorph=$1 programs=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Rows no corpus program can execute, with the reason. Keep this list short and honest.
#   SDBBP: qemu-mipsel aborts on it ("unhandled CPU exception"), so no program compared with it
#          can run one.
excluded="SDBBP"

count=0
for program in "$programs"/*; do
    [ -f "$program" ] && [ -x "$program" ] || continue
    name=$(basename "$program")
    # The program's own result does not matter here (its guest.* test judges it); a program that
    # dies still reports what it ran.
    (cd "$work" && timeout 120 "$isomorph" run --instruction-counts "$work/$name.counts" "$program" \
        </dev/null >/dev/null 2>&1)
    if [ ! -s "$work/$name.counts" ]; then
        echo "warning: $name wrote no instruction counts"
        continue
    fi
    count=$((count + 1))
done
if [ "$count" = 0 ]; then
    echo "no guest programs ran from $programs"
    exit 1
fi

cat "$work"/*.counts | awk -v excluded="$excluded" '
    BEGIN { n = split(excluded, list, " "); for (i = 1; i <= n; ++i) skip[list[i]] = 1 }
    $1 != "Reserved" { if (!($1 in total)) order[++rows] = $1; total[$1] += $2 }
    END {
        missing = 0; executed = 0
        for (i = 1; i <= rows; ++i) {
            row = order[i]
            if (total[row] > 0) ++executed
            else if (!(row in skip)) { printf "never executed: %s\n", row; ++missing }
        }
        printf "%d of %d rows executed by the corpus; %d never executed; excused: %s\n", executed, rows, missing, excluded
        exit missing != 0
    }'
