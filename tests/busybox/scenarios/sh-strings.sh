# String work in the shell: test and [ ] comparisons, printf formatting, read splitting, and
# string building in loops.
steps() {
    guest sh -c '
a=apple b=banana
[ "$a" = apple ] && echo "equal"
[ "$a" != "$b" ] && echo "different"
[ -z "" ] && [ -n "$a" ] && echo "empty and non-empty"
[ "$a" \< "$b" ] && echo "apple sorts before banana"
[ 10 -gt 9 ] && [ 3 -le 3 ] && [ -5 -lt 0 ] && echo "numbers compare"
test "abc" = "abd" || echo "test builtin says no"
printf "%s|%5s|%-5s|%05d|%x|%o|%c|%%\n" word right left 42 255 8 xyz
printf "%d %d %d\n" 1 2 3 4 5 6
printf "[%s]\n" "with spaces" again
echo "line one\nline two"
echo -n "no newline"; echo " then newline"
reversed=
word=isomorph
while [ -n "$word" ]; do
    rest=${word#?}
    first=${word%"$rest"}
    reversed=$first$reversed
    word=$rest
done
echo "$reversed"
line="  key = value with spaces  "
IFS="=" read -r key value <<END
$line
END
echo "[$key] [$value]"
joined=
for part in a b c d; do joined="${joined:+$joined,}$part"; done
echo "$joined"
'
}
