# Shell features that create processes: pipelines (of applets the shell runs without exec),
# subshells, command substitution with exit statuses, pipefail, redirections to files, and an EXIT
# trap.
setup() {
    printf 'banana\napple\ncherry\napple\n' >fruit.txt
}
steps() {
    guest sh -c '
echo one two three | { read a b c; echo "$c $b $a"; }
seq 1 20 | sort -rn | head -n 3
sort -u fruit.txt | head -n 2
value=$(echo inner; exit 3); echo "status $? [$value]"
( exit 5 ); echo "subshell $?"
false | true; echo "pipeline $?"
set -o pipefail; false | true; echo "pipefail $?"; set +o pipefail
for i in 1 2 3; do (echo "child $i"; exit $i); echo "-> $?"; done
{ echo first; echo second >&2; } >out.txt 2>err.txt
read line <out.txt; echo "out: $line"
read line <err.txt; echo "err: $line"
echo appended >>out.txt
lines=0; while read line; do lines=$((lines + 1)); done <out.txt; echo "lines: $lines"
trap "echo exit trap ran" EXIT
exit 4
'
    # head leaves after two lines; sort's output (108 KB) outgrows the pipe, so sort's later writes
    # meet a closed pipe. Twice as many lines took over 30 s under interp on a loaded machine.
    guest sh -c 'seq 1 20000 | sort -rn | head -n 2'
    guest sh -c 'echo "$(echo "$(echo nested substitution)")"'
}
