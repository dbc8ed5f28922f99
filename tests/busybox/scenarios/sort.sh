# sort: plain, numeric, reverse, by key and separator, unique, general numbers, and -c checking.
setup() {
    printf 'pear\napple\nBanana\ncherry\napple\n\nZebra\n10\n9\n100\n-3\n' >words.txt
    printf 'carol:35:london\nalice:30:paris\nbob:25:berlin\ndave:30:athens\neve:35:rome\n' >people.txt
    printf '1.5e3\n-0.25\n3.14159\n1e-3\n42\n' >floats.txt
    seq 1 3000 | sed 's/$/ line/' | tac >reversed.txt
}
steps() {
    guest sort words.txt
    guest sort -r words.txt
    guest sort -n words.txt
    guest sort -u words.txt
    guest sort -f words.txt
    guest sort -t : -k 2,2n -k 1,1 people.txt
    guest sort -t : -k 3 people.txt
    guest sort -g floats.txt
    guest sort -n reversed.txt
    guest sort -c words.txt
    guest sort <people.txt
}
