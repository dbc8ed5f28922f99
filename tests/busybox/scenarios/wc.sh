# wc: lines, words and bytes of several files and of standard input, each count alone, and the
# longest line.
setup() {
    printf 'one two three\nfour five\n\nsix\n' >words.txt
    printf 'no newline at the end' >partial.txt
    seq 1 20000 >numbers.txt
}
steps() {
    guest wc words.txt partial.txt numbers.txt
    guest wc -l words.txt
    guest wc -w words.txt
    guest wc -c numbers.txt
    guest wc -L words.txt partial.txt
    guest wc <words.txt
    guest wc missing.txt
}
