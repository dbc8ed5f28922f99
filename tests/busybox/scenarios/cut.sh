# cut: fields with a delimiter, byte and character ranges, -s for lines without the delimiter.
setup() {
    printf 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nno delimiter here\n' >passwd.txt
    printf 'abcdefghij\n0123456789\n' >letters.txt
}
steps() {
    guest cut -d : -f 1 passwd.txt
    guest cut -d : -f 1,3-4,7 passwd.txt
    guest cut -d : -f 6- -s passwd.txt
    guest cut -c 2-5 letters.txt
    guest cut -b 1,3,5- letters.txt
    guest cut -c -3 <letters.txt
    guest cut -d : passwd.txt
}
