# find: by name, type, size, depth and emptiness on a prepared tree. Each guest call lists the
# same directory the same way on both sides, since both trees are copies of one.
setup() {
    mkdir -p tree/a/b/c tree/d tree/empty-dir
    printf 'x\n' >tree/a/one.txt
    printf 'xx\n' >tree/a/b/two.txt
    printf 'xxx\n' >tree/a/b/c/three.c
    seq 1 2000 >tree/d/big.txt
    : >tree/d/empty.txt
    ln -s ../a/one.txt tree/d/link
}
steps() {
    guest find tree
    guest find tree -name '*.txt'
    guest find tree -type d
    guest find tree -type l
    guest find tree -type f -size +1k
    guest find tree -empty
    guest find tree -maxdepth 2 -type f
    guest find tree -mindepth 3
    guest find tree -name '*.c' -o -name 'one*'
    guest find tree/d -newer tree/a/one.txt -name nothing
    guest find tree/missing
}
