# Shell functions: arguments, return values, local variables, recursion, and functions that call
# each other.
steps() {
    guest sh -c '
greet() { echo "hello, $1 (of $#)"; }
greet alice
greet "bob smith" extra
factorial() {
    if [ "$1" -le 1 ]; then echo 1; return; fi
    local previous
    previous=$(factorial $(($1 - 1)))
    echo $(($1 * previous))
}
echo "10! = $(factorial 10)"
fibonacci() {
    local n=$1 a=0 b=1 t
    while [ $n -gt 0 ]; do t=$((a + b)); a=$b; b=$t; n=$((n - 1)); done
    echo $a
}
echo "fib(40) = $(fibonacci 40)"
is_even() { return $(($1 % 2)); }
for n in 1 2 3 4; do
    if is_even $n; then echo "$n even"; else echo "$n odd (status $?)"; fi
done
counter=0
increment() { counter=$((counter + 1)); }
increment; increment; increment
echo "counter $counter"
outer() { local value=outer; inner; echo "after inner: $value"; }
inner() { value=changed; }
value=global
outer
echo "global: $value"
'
}
