# The shell's arithmetic expansion: operators, precedence, bases, 32-bit wrap-around, division by
# zero as an error.
steps() {
    guest sh -c '
echo $((1 + 2 * 3)) $(((1 + 2) * 3)) $((17 / 5)) $((17 % 5)) $((-17 / 5)) $((-17 % 5))
echo $((1 << 10)) $((1024 >> 3)) $((0xff & 0x0f)) $((0xf0 | 0x0f)) $((0xff ^ 0x0f)) $((~0))
echo $((3 > 2)) $((3 < 2)) $((3 == 3)) $((3 != 3)) $((!0)) $((1 && 0)) $((1 || 0))
echo $((010)) $((0x10)) $((2 ** 10)) $((5 > 3 ? 10 : 20))
x=5; echo $((x += 3)) $((x -= 1)) $((x *= 2)) $((x /= 3)) $((x %= 3)) $x
y=7; echo $((y++)) $y $((++y)) $((y--)) $((--y))
echo $((2147483647 + 1)) $((-2147483648 - 1)) $((65536 * 65536)) $((4294967295))
echo $((9223372036854775807)) $((-9223372036854775807 - 1))
a=6 b=7; echo "$a * $b = $((a * b))"
'
    guest sh -c 'echo before; echo $((1 / 0)); echo after'
    guest sh -c 'echo $((2 +)); echo unreachable'
}
