# ls -l on a prepared directory: fixed modification times, modes, sizes, a symbolic link, a
# subdirectory, and file names that need sorting. Owners come from the same /etc/passwd on both
# sides; -n shows the numeric ids.
setup() {
    mkdir -p tree/sub tree/empty
    printf 'hello\n' >tree/hello.txt
    printf '%s\n' $(seq 1 1000) >tree/numbers.txt
    : >tree/zero-length
    printf '#!/bin/sh\necho run\n' >tree/script.sh
    printf 'x' >'tree/name with spaces'
    printf 'nested\n' >tree/sub/nested.txt
    ln -s hello.txt tree/link-to-hello
    chmod 0755 tree/script.sh
    chmod 0600 tree/zero-length
    chmod 0444 tree/numbers.txt
    chmod 0750 tree/sub
    touch -h -d '2021-02-03 04:05:06 UTC' tree/link-to-hello
    touch -d '2020-01-02 03:04:05 UTC' tree/hello.txt tree/zero-length 'tree/name with spaces'
    touch -d '2019-12-31 23:59:59 UTC' tree/numbers.txt tree/script.sh tree/sub/nested.txt
    touch -d '2001-09-09 01:46:40 UTC' tree/sub tree/empty tree
}
steps() {
    guest ls -l tree
    guest ls -ln tree
    guest ls -la tree/sub
    guest ls -lR tree
    guest ls -1 tree
    guest ls -lt tree
    guest ls -lS tree
    guest ls -lr tree
    guest ls -ld tree tree/sub
    guest ls -l --full-time tree/hello.txt
    guest ls -l tree/does-not-exist
}
