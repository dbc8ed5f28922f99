# uniq: collapsing, counting, only repeated, only unique, ignoring case and leading fields.
setup() {
    printf 'apple\napple\nbanana\nApple\napple\ncherry\ncherry\ncherry\ndate\n' >fruit.txt
    printf '1 same\n2 same\n3 other\n4 other\n' >fields.txt
}
steps() {
    guest uniq fruit.txt
    guest uniq -c fruit.txt
    guest uniq -d fruit.txt
    guest uniq -u fruit.txt
    guest uniq -i fruit.txt
    guest uniq -f 1 fields.txt
    guest uniq <fruit.txt
}
