# The echo and printf applets: escapes, -n and -e, formats with widths, precision, several
# arguments, numbers in other bases, and floating point.
steps() {
    guest echo hello world
    guest echo -n "no newline"
    guest echo -e 'tab\there\nnewline\\ and \x41\0101'
    guest echo -- -n
    guest printf '%s-%s\n' a b c d e
    guest printf '%5d|%-5d|%05d|%+d|%x|%X|%o|%#x\n' 42 42 42 42 255 255 8 255
    guest printf '%.3s|%10.4s|%c\n' abcdef abcdef xyz
    guest printf '%f %.2f %e %g %g\n' 3.14159 2.71828 12345.678 0.0001 1000000
    guest printf '%b\n' 'escape\tin\targument'
    guest printf '%d\n' 0x1f 010 "'A"
    guest printf '%d\n' not-a-number
}
