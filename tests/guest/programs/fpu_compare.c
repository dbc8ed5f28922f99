// C.cond.fmt for all 16 conditions in S and D, into all eight condition codes, on ordered and
// unordered pairs (quiet NaNs raise Invalid only for the signalling conditions, signalling NaNs
// for all), followed by the branches and moves that read condition codes: BC1F, BC1T, BC1FL,
// BC1TL (with their delay slots), MOVF, MOVT, MOVF.fmt, MOVT.fmt, MOVZ.fmt and MOVN.fmt.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fpu_bits.h"

// One function per condition and format; the condition code is cond mod 8, so that every code
// is written by two conditions.
#define COMPARE(cond, cc)                                                                                      \
    static void c_##cond##_s(uint32_t a, uint32_t b)                                                         \
    {                                                                                                        \
        __asm__ volatile("c." #cond ".s $fcc" #cc ", %0, %1" : : "f"(single_of(a)), "f"(single_of(b)));      \
    }                                                                                                        \
    static void c_##cond##_d(uint64_t a, uint64_t b)                                                         \
    {                                                                                                        \
        __asm__ volatile("c." #cond ".d $fcc" #cc ", %0, %1" : : "f"(double_of(a)), "f"(double_of(b)));      \
    }
COMPARE(f, 0)
COMPARE(un, 1)
COMPARE(eq, 2)
COMPARE(ueq, 3)
COMPARE(olt, 4)
COMPARE(ult, 5)
COMPARE(ole, 6)
COMPARE(ule, 7)
COMPARE(sf, 0)
COMPARE(ngle, 1)
COMPARE(seq, 2)
COMPARE(ngl, 3)
COMPARE(lt, 4)
COMPARE(nge, 5)
COMPARE(le, 6)
COMPARE(ngt, 7)

typedef void (*compare_s)(uint32_t, uint32_t);
typedef void (*compare_d)(uint64_t, uint64_t);
static const struct {
    const char* name;
    compare_s single;
    compare_d dbl;
} conditions[] = {
    {"f", c_f_s, c_f_d},       {"un", c_un_s, c_un_d},     {"eq", c_eq_s, c_eq_d},     {"ueq", c_ueq_s, c_ueq_d},
    {"olt", c_olt_s, c_olt_d}, {"ult", c_ult_s, c_ult_d},  {"ole", c_ole_s, c_ole_d},  {"ule", c_ule_s, c_ule_d},
    {"sf", c_sf_s, c_sf_d},    {"ngle", c_ngle_s, c_ngle_d}, {"seq", c_seq_s, c_seq_d}, {"ngl", c_ngl_s, c_ngl_d},
    {"lt", c_lt_s, c_lt_d},    {"nge", c_nge_s, c_nge_d},  {"le", c_le_s, c_le_d},     {"ngt", c_ngt_s, c_ngt_d},
};

static const uint32_t singles[] = {0x00000000, 0x80000000, 0x3F800000, 0xBF800000, 0x00000001,
                                   0x7F800000, 0xFF800000, 0x7F800001, 0x7FC00000};
static const uint64_t doubles[] = {0x0000000000000000, 0x8000000000000000, 0x3FF0000000000000,
                                   0xBFF0000000000000, 0x0000000000000001, 0x7FF0000000000000,
                                   0xFFF0000000000000, 0x7FF0000000000001, 0x7FF8000000000000};
#define COUNT(array) (sizeof(array) / sizeof(array[0]))

// Condition codes start all set or all clear, so a comparison's write of 0 and of 1 both show.
static const uint32_t all_condition_codes = 0xFE800000;

static void comparisons(void)
{
    for (unsigned k = 0; k < COUNT(conditions); ++k)
        for (unsigned i = 0; i < COUNT(singles); ++i) {
            printf("c.%s.s %08x:", conditions[k].name, singles[i]);
            for (unsigned j = 0; j < COUNT(singles); ++j) {
                fcsr_write((i + j) & 1 ? all_condition_codes : 0);
                conditions[k].single(singles[i], singles[j]);
                printf(" %08x", fcsr_read());
            }
            printf("\n");
        }
    for (unsigned k = 0; k < COUNT(conditions); ++k)
        for (unsigned i = 0; i < COUNT(doubles); ++i) {
            printf("c.%s.d %016llx:", conditions[k].name, (unsigned long long)doubles[i]);
            for (unsigned j = 0; j < COUNT(doubles); ++j) {
                fcsr_write((i + j) & 1 ? all_condition_codes : 0);
                conditions[k].dbl(doubles[i], doubles[j]);
                printf(" %08x", fcsr_read());
            }
            printf("\n");
        }
}

// Each branch test returns the sum of what ran: 1 for the delay slot, 2 for the fall-through
// path, 4 for the taken path.
#define BRANCH(name, instruction)                                                                              \
    static int name(void)                                                                                    \
    {                                                                                                        \
        int sum = 0;                                                                                         \
        __asm__ volatile(".set push\n\t.set noreorder\n\t" instruction " 1f\n\t"                             \
                         "addiu %0, %0, 1\n\t"                                                               \
                         "addiu %0, %0, 2\n\t"                                                               \
                         "b 2f\n\t"                                                                          \
                         "nop\n"                                                                             \
                         "1:\taddiu %0, %0, 4\n"                                                             \
                         "2:\n\t.set pop"                                                                    \
                         : "+r"(sum));                                                                       \
        return sum;                                                                                          \
    }
BRANCH(bc1f_0, "bc1f $fcc0,")
BRANCH(bc1t_0, "bc1t $fcc0,")
BRANCH(bc1fl_0, "bc1fl $fcc0,")
BRANCH(bc1tl_0, "bc1tl $fcc0,")
BRANCH(bc1f_3, "bc1f $fcc3,")
BRANCH(bc1t_3, "bc1t $fcc3,")
BRANCH(bc1fl_7, "bc1fl $fcc7,")
BRANCH(bc1tl_7, "bc1tl $fcc7,")

static void branches(void)
{
    static const uint32_t settings[] = {0x00000000, 0x00800000, 0x10000000, 0x80000000, 0xFE800000, 0x7E000000};
    for (unsigned i = 0; i < COUNT(settings); ++i) {
        fcsr_write(settings[i]);
        printf("fcsr %08x: bc1f0 %d bc1t0 %d bc1fl0 %d bc1tl0 %d bc1f3 %d bc1t3 %d bc1fl7 %d bc1tl7 %d\n", settings[i],
               bc1f_0(), bc1t_0(), bc1fl_0(), bc1tl_0(), bc1f_3(), bc1t_3(), bc1fl_7(), bc1tl_7());
    }
    // A comparison followed directly by the branch that reads it.
    int sum = 0;
    fcsr_write(0);
    __asm__ volatile(".set push\n\t.set noreorder\n\t"
                     "c.lt.d $fcc6, %1, %2\n\t"
                     "bc1tl $fcc6, 1f\n\t"
                     "addiu %0, %0, 1\n\t"
                     "addiu %0, %0, 2\n"
                     "1:\t.set pop"
                     : "+r"(sum)
                     : "f"(1.0), "f"(2.0));
    printf("c.lt.d then bc1tl: %d fcsr %08x\n", sum, fcsr_read());
}

static void moves(void)
{
    for (uint32_t setting = 0; setting < 4; ++setting) {
        uint32_t fcsr = (setting & 1 ? 0x00800000 : 0) | (setting & 2 ? 0x20000000 : 0); // FCC0, FCC5
        fcsr_write(fcsr);
        uint32_t movf = 0x1111, movt = 0x2222;
        __asm__ volatile("movf %0, %2, $fcc0\n\tmovt %1, %2, $fcc5" : "+r"(movf), "+r"(movt) : "r"(0x9999));
        float movf_s = 1.0f, movt_s = 2.0f;
        double movf_d = 3.0, movt_d = 4.0;
        __asm__ volatile("movf.s %0, %4, $fcc5\n\t"
                         "movt.s %1, %4, $fcc0\n\t"
                         "movf.d %2, %5, $fcc0\n\t"
                         "movt.d %3, %5, $fcc5"
                         : "+f"(movf_s), "+f"(movt_s), "+f"(movf_d), "+f"(movt_d)
                         : "f"(-5.0f), "f"(-6.0));
        printf("fcsr %08x: movf %x movt %x movf.s %a movt.s %a movf.d %a movt.d %a\n", fcsr, movf, movt, movf_s,
               movt_s, movf_d, movt_d);
    }
    for (int selector = 0; selector < 2; ++selector) {
        float movz_s = 1.0f, movn_s = 2.0f;
        double movz_d = 3.0, movn_d = 4.0;
        __asm__ volatile("movz.s %0, %4, %6\n\t"
                         "movn.s %1, %4, %6\n\t"
                         "movz.d %2, %5, %6\n\t"
                         "movn.d %3, %5, %6"
                         : "+f"(movz_s), "+f"(movn_s), "+f"(movz_d), "+f"(movn_d)
                         : "f"(-7.0f), "f"(-8.0), "r"(selector));
        printf("rt %d: movz.s %a movn.s %a movz.d %a movn.d %a\n", selector, movz_s, movn_s, movz_d, movn_d);
    }
}

int main(void)
{
    comparisons();
    branches();
    moves();
    return 0;
}
