# sed: substitution with flags and groups, addresses and ranges, deletion, insertion, -n with p,
# y, multiple expressions, and in-place editing (the edited file is compared too).
setup() {
    printf 'one apple\ntwo apples\nthree bananas\nfour apples and one banana\nfive\n' >fruit.txt
    printf 'key1=value1\n# comment\nkey2 = value two\n\nkey3=\n' >config.txt
    cp fruit.txt edited.txt
}
steps() {
    guest sed 's/apple/pear/' fruit.txt
    guest sed 's/an/AN/g' fruit.txt
    guest sed -n '2,4p' fruit.txt
    guest sed '/banana/d' fruit.txt
    guest sed -E 's/^([a-z]+) (.*)$/\2 <- \1/' fruit.txt
    guest sed -e '1i\' -e 'header' -e '$a\' -e 'footer' fruit.txt
    guest sed 'y/abcdefghij/ABCDEFGHIJ/' fruit.txt
    guest sed -n '/^#/!{ /=/{ s/ *= */=/; p; }; }' config.txt
    guest sed '3q' fruit.txt
    guest sed -n '$=' fruit.txt
    guest sed -i 's/apples\?/oranges/g; 2d' edited.txt
    guest sed 's/unterminated' fruit.txt
}
