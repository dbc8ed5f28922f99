# cat: several files, standard input, numbered lines, visible control characters, a missing file.
setup() {
    printf 'first line\nsecond line\n' >one.txt
    printf 'no trailing newline' >two.txt
    printf 'tab\there\nbell\a and escape\033 and del\177\n\n\nafter blanks\n' >control.txt
    seq 1 5000 >big.txt
}
steps() {
    guest cat one.txt two.txt one.txt
    guest cat <one.txt
    guest cat - one.txt <two.txt
    guest cat -n one.txt control.txt
    guest cat -A control.txt
    guest cat -v control.txt
    guest cat big.txt
    guest cat one.txt missing.txt two.txt
}
