# md5sum: empty input, text, a binary file larger than one buffer, standard input, and -c checking
# a list with a good and a bad entry.
setup() {
    : >empty
    printf 'The quick brown fox jumps over the lazy dog' >fox.txt
    python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 7919 + (i >> 8)) & 0xff for i in range(300000)))' >binary.bin
    printf 'd41d8cd98f00b204e9800998ecf8427e  empty\n00000000000000000000000000000000  fox.txt\n' >checks.md5
}
steps() {
    guest md5sum empty fox.txt binary.bin
    guest md5sum <fox.txt
    guest md5sum -c checks.md5
    guest md5sum missing-file
}
