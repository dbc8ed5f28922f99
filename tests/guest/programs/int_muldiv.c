// HI/LO arithmetic: MULT MULTU DIV DIVU MFHI MFLO MTHI MTLO, and the SPECIAL2 forms MUL MADD
// MADDU MSUB MSUBU. Division by zero and INT_MIN / -1 are UNPREDICTABLE in the manual and raise
// no exception; qemu-mipsel divides by one instead, and so must we. MUL leaves HI and LO
// unchanged there. The multiply-accumulate forms start from HI:LO values that make the 64-bit
// sum carry or borrow between LO and HI.
#include <stdint.h>
#include <stdio.h>

static const uint32_t values[] = {0, 1, 2, 3, 7, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0xfffffffe,
                                  0x10000, 0x12345678, 0xdeadbeef, 0xfffffff9};
#define COUNT (sizeof values / sizeof values[0])

static const uint32_t accumulators[][2] = {
    // {HI, LO}
    {0, 0}, {0, 0xffffffff}, {0xffffffff, 0xffffffff}, {0x7fffffff, 0xffffffff}, {0x80000000, 0}, {0x12345678, 0x9abcdef0},
};
#define ACCUMULATORS (sizeof accumulators / sizeof accumulators[0])

#define HI_LO_FORM(op, prefix)                                                                   \
    static void op##_hi_lo(uint32_t s, uint32_t t, uint32_t* hi, uint32_t* lo)                   \
    {                                                                                            \
        __asm__ volatile(#op " " prefix "%2,%3\n\tmfhi %0\n\tmflo %1"                            \
                         : "=r"(*hi), "=r"(*lo)                                                  \
                         : "r"(s), "r"(t)                                                        \
                         : "hi", "lo");                                                          \
    }
HI_LO_FORM(mult, "")
HI_LO_FORM(multu, "")
// "div $0,rs,rt" is the machine instruction; the two-operand form is an assembler macro that
// adds a divide-by-zero trap.
HI_LO_FORM(div, "$0,")
HI_LO_FORM(divu, "$0,")

#define ACCUMULATE_FORM(op)                                                                      \
    static void op##_accumulate(uint32_t s, uint32_t t, uint32_t* hi, uint32_t* lo)              \
    {                                                                                            \
        __asm__ volatile("mthi %0\n\tmtlo %1\n\t" #op " %2,%3\n\tmfhi %0\n\tmflo %1"             \
                         : "+r"(*hi), "+r"(*lo)                                                  \
                         : "r"(s), "r"(t)                                                        \
                         : "hi", "lo");                                                          \
    }
ACCUMULATE_FORM(madd)
ACCUMULATE_FORM(maddu)
ACCUMULATE_FORM(msub)
ACCUMULATE_FORM(msubu)

int main(void)
{
    for (unsigned i = 0; i < COUNT; ++i) {
        for (unsigned j = 0; j < COUNT; ++j) {
            uint32_t s = values[i], t = values[j], hi, lo;
            printf("%08x %08x:", s, t);
            mult_hi_lo(s, t, &hi, &lo);
            printf(" mult %08x:%08x", hi, lo);
            multu_hi_lo(s, t, &hi, &lo);
            printf(" multu %08x:%08x", hi, lo);
            div_hi_lo(s, t, &hi, &lo);
            printf(" div %08x:%08x", hi, lo);
            divu_hi_lo(s, t, &hi, &lo);
            printf(" divu %08x:%08x", hi, lo);
            // MUL with HI and LO preset: the product goes to rd only.
            uint32_t product, after_hi = 0x11111111, after_lo = 0x22222222;
            __asm__ volatile("mthi %1\n\tmtlo %2\n\tmul %0,%3,%4\n\tmfhi %1\n\tmflo %2"
                             : "=&r"(product), "+r"(after_hi), "+r"(after_lo)
                             : "r"(s), "r"(t)
                             : "hi", "lo");
            printf(" mul %08x (hi %08x lo %08x)\n", product, after_hi, after_lo);
        }
    }
    for (unsigned a = 0; a < ACCUMULATORS; ++a) {
        for (unsigned i = 0; i < COUNT; i += 2) {
            for (unsigned j = 1; j < COUNT; j += 3) {
                uint32_t s = values[i], t = values[j];
                printf("%08x:%08x %08x %08x:", accumulators[a][0], accumulators[a][1], s, t);
                uint32_t hi = accumulators[a][0], lo = accumulators[a][1];
                madd_accumulate(s, t, &hi, &lo);
                printf(" madd %08x:%08x", hi, lo);
                hi = accumulators[a][0], lo = accumulators[a][1];
                maddu_accumulate(s, t, &hi, &lo);
                printf(" maddu %08x:%08x", hi, lo);
                hi = accumulators[a][0], lo = accumulators[a][1];
                msub_accumulate(s, t, &hi, &lo);
                printf(" msub %08x:%08x", hi, lo);
                hi = accumulators[a][0], lo = accumulators[a][1];
                msubu_accumulate(s, t, &hi, &lo);
                printf(" msubu %08x:%08x\n", hi, lo);
            }
        }
    }
    // MTHI and MTLO alone, read back.
    uint32_t hi, lo;
    __asm__ volatile("mthi %2\n\tmtlo %3\n\tmfhi %0\n\tmflo %1" : "=r"(hi), "=r"(lo) : "r"(0xcafef00d), "r"(0x0badf00d)
                     : "hi", "lo");
    printf("mthi/mtlo -> %08x:%08x\n", hi, lo);
    return 0;
}
