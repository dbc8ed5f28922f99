# awk: fields and separators, patterns, associative arrays, printf, string functions, floating
# point arithmetic (Debian's busybox has no math functions) and BEGIN/END blocks.
setup() {
    printf 'alice 30 paris 1250.50\nbob 25 berlin 980.25\ncarol 35 london 2100.00\ndave 30 athens 1500.75\n' >people.txt
    printf 'a,b,c\n1,2,3\nx,,z\n' >table.csv
}
steps() {
    guest awk '{ print $1, $3 }' people.txt
    guest awk '$2 >= 30 { count++; total += $4 } END { printf "%d people, total %.2f, mean %.3f\n", count, total, total / count }' people.txt
    guest awk -F , '{ print NF ": " $2 }' table.csv
    guest awk '{ ages[$2] = ages[$2] " " $1 } END { for (age = 20; age <= 40; age += 5) if (age in ages) print age ":" ages[age] }' people.txt
    guest awk 'BEGIN { x = 1; for (i = 0; i < 10; i++) x *= 2.5; printf "%.6f %e %g %d\n", x, x, x, x }'
    guest awk 'BEGIN { print int(-3.7), int(3.99), 7 % 3, -7 % 3, 5.5 % 2, 1e6, 1e-6, 123456789012, 100000 * 100000 }'
    guest awk 'BEGIN { s = "Hello, World"; print length(s), toupper(s), tolower(s), substr(s, 8), index(s, "World"); n = split("a:b:c", parts, ":"); print n, parts[3]; gsub(/o/, "0", s); print s; print match("foobar", /ob+/), RSTART, RLENGTH }'
    guest awk 'BEGIN { printf "%5.1f|%-8s|%08.3f|%x|%c\n", 3.14159, "left", -2.5, 255, 65 }'
    guest awk 'NR % 2 == 1 { print NR, $0 }' people.txt
    guest awk 'BEGIN { print 1 / 3; print 1e300 * 1e300; print -1e300 * 1e300; print 9007199254740992 + 1; print 0.1 + 0.2; print -0.0; print 1e300 * 1e300 - 1e300 * 1e300 }'
    guest awk '{ print $' people.txt
}
