# The shell's loops: while, until, for over words and over "$@", nested loops, break and continue.
steps() {
    guest sh -c '
i=0
while [ $i -lt 5 ]; do echo "while $i"; i=$((i + 1)); done
until [ $i -eq 0 ]; do i=$((i - 1)); echo "until $i"; done
for word in alpha beta "gamma delta"; do echo "for [$word]"; done
set -- one "two three" four
for argument in "$@"; do echo "argument [$argument]"; done
for outer in 1 2 3; do
    for inner in a b c d; do
        [ $inner = b ] && continue
        [ $inner = d ] && break
        echo "$outer$inner"
    done
    [ $outer = 2 ] && break
done
total=0
n=1
while :; do total=$((total + n)); n=$((n + 1)); [ $n -gt 100 ] && break; done
echo "sum 1..100 = $total"
'
    guest sh -c 'for i in 1 2 3; do echo $i; done; exit 7'
}
