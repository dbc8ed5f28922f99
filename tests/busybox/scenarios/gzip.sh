# gzip and gunzip round trip: compress text and binary data at two levels, test the archives,
# decompress them again (to files and to standard output) and checksum everything; then a missing
# and a corrupt archive. The files left behind (compressed and restored) are compared too.
setup() {
    seq 1 40000 >numbers.txt
    python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * i * 31 + (i >> 5)) & 0xff for i in range(200000)))' >binary.bin
    printf 'this is not gzip data\n' >corrupt.gz
    touch -d '2020-01-02 03:04:05 UTC' numbers.txt binary.bin
}
steps() {
    guest gzip -k numbers.txt
    guest gzip -9 -k binary.bin
    guest md5sum numbers.txt.gz binary.bin.gz
    guest gzip -t numbers.txt.gz binary.bin.gz
    guest zcat numbers.txt.gz
    guest mv numbers.txt original-numbers.txt
    guest mv binary.bin original-binary.bin
    guest gunzip numbers.txt.gz
    guest gzip -d binary.bin.gz
    guest md5sum numbers.txt original-numbers.txt binary.bin original-binary.bin
    guest cmp binary.bin original-binary.bin
    guest gzip -1 -c numbers.txt
    guest gunzip not-there.gz
    guest gunzip corrupt.gz
}
