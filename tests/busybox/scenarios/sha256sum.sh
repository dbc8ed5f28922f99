# sha256sum (and sha1sum, sha512sum from the same code family): empty input, text, a binary file
# larger than one buffer, standard input, and -c checking.
setup() {
    : >empty
    printf 'abc' >abc.txt
    python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 2654435761 >> 13) & 0xff for i in range(500000)))' >binary.bin
    printf 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  empty\n' >checks.sha256
}
steps() {
    guest sha256sum empty abc.txt binary.bin
    guest sha256sum <abc.txt
    guest sha256sum -c checks.sha256
    guest sha1sum abc.txt binary.bin
    guest sha512sum abc.txt binary.bin
}
