# Background jobs: the shell waits for a child that is still running, which suspends it until
# SIGCHLD arrives (rt_sigsuspend and signal delivery).
steps() {
    guest sh -c '
seq 1 20000 | sort -n | head -n 1 >first.txt &
wait $!; echo "waited $?"
read line <first.txt; echo "first: $line"
( exit 6 ) &
wait $!; echo "waited $?"
'
}
