# tr: translating ranges and classes, deleting, squeezing, complements and octal escapes.
setup() {
    printf 'Hello, World! 123\nsecond    line   with   spaces\n' >input.txt
    printf 'a\tb\tc\n' >tabs.txt
}
steps() {
    guest tr a-z A-Z <input.txt
    guest tr '[:lower:]' '[:upper:]' <input.txt
    guest tr -d '0-9 ' <input.txt
    guest tr -s ' ' <input.txt
    guest tr -cd 'a-zA-Z\n' <input.txt
    guest tr '\t' , <tabs.txt
    guest tr 'lo' '01' <input.txt
    guest tr -s 'a-z' <input.txt
}
