# expr: arithmetic, comparisons, string matching with regular expressions, length, substr, index,
# and the exit statuses for zero, null and errors.
steps() {
    guest expr 6 \* 7
    guest expr 100 / 7 % 3
    guest expr -- -5 + 2
    guest expr -5 + 2
    guest expr 2147483647 + 1
    guest expr 10 \> 9
    guest expr abc \< abd
    guest expr 0 + 0
    guest expr length isomorph
    guest expr substr isomorph 3 4
    guest expr index isomorph mo
    guest expr isomorph : 'iso\(.*\)'
    guest expr isomorph : '.*'
    guest expr "" \| fallback
    guest expr 1 / 0
    guest expr 1 +
}
