# The case statement: literal words, globs, alternatives, character classes and fall-through to *.
steps() {
    guest sh -c '
classify() {
    case "$1" in
        "") echo "empty" ;;
        [0-9]|[0-9][0-9]) echo "$1: small number" ;;
        *[!0-9]*) case "$1" in
                      *.c|*.h) echo "$1: C source" ;;
                      [A-Z]*) echo "$1: capitalised" ;;
                      ?) echo "$1: one character" ;;
                      *) echo "$1: other word" ;;
                  esac ;;
        *) echo "$1: big number" ;;
    esac
}
for word in "" 7 42 12345 main.c util.h Makefile x readme; do classify "$word"; done
case yes in no) echo no ;; y*) echo "starts with y" ;; yes) echo "not reached" ;; esac
'
}
