# head and tail: default counts, -n in both directions, -c, several files with headers, and
# standard input.
setup() {
    seq 1 1000 >numbers.txt
    printf 'a\nb\nc\n' >short.txt
}
steps() {
    guest head numbers.txt
    guest head -n 3 numbers.txt short.txt
    guest head -c 20 numbers.txt
    guest head -n -995 numbers.txt
    guest tail numbers.txt
    guest tail -n 2 numbers.txt short.txt
    guest tail -n +998 numbers.txt
    guest tail -c 12 numbers.txt
    guest tail -n 1 <short.txt
    guest head <short.txt
    guest head missing.txt
}
