// FPU conversions between S, D, W and L in all four rounding modes: CVT, ROUND, TRUNC, CEIL and
// FLOOR to W and L, CVT.S/CVT.D from every format. Operands include halfway cases, the integer
// range limits, values just outside them, infinities, subnormals and legacy NaNs (which convert to
// 0x7FFFFFFF / 0x7FFFFFFFFFFFFFFF with Invalid). The L format needs FR = 1, the mode this FPXX
// program runs in. Results and FCSR are printed as hex bits.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fpu_bits.h"

// A 32-bit result lives in a float register, a 64-bit one in a double register; the operand
// likewise. Each conversion is one instruction between two FCSR accesses.
#define CONVERT(name, instruction, result_type, result_bits, operand_type, operand_of, bits_type, operand_bits)  \
    static bits_type name(operand_bits a)                                                                    \
    {                                                                                                        \
        result_type result;                                                                                  \
        __asm__ volatile(".set push\n\t.set fp=64\n\t" instruction " %0, %1\n\t.set pop"                     \
                         : "=f"(result)                                                                      \
                         : "f"(operand_of(a)));                                                              \
        return result_bits(result);                                                                          \
    }

#define FROM_S(name, instruction, result_type, result_bits, bits_type)                                         \
    CONVERT(name, instruction, result_type, result_bits, float, single_of, bits_type, uint32_t)
#define FROM_D(name, instruction, result_type, result_bits, bits_type)                                         \
    CONVERT(name, instruction, result_type, result_bits, double, double_of, bits_type, uint64_t)

FROM_S(cvt_w_s, "cvt.w.s", float, bits_of_single, uint32_t)
FROM_S(round_w_s, "round.w.s", float, bits_of_single, uint32_t)
FROM_S(trunc_w_s, "trunc.w.s", float, bits_of_single, uint32_t)
FROM_S(ceil_w_s, "ceil.w.s", float, bits_of_single, uint32_t)
FROM_S(floor_w_s, "floor.w.s", float, bits_of_single, uint32_t)
FROM_S(cvt_l_s, "cvt.l.s", double, bits_of_double, uint64_t)
FROM_S(round_l_s, "round.l.s", double, bits_of_double, uint64_t)
FROM_S(trunc_l_s, "trunc.l.s", double, bits_of_double, uint64_t)
FROM_S(ceil_l_s, "ceil.l.s", double, bits_of_double, uint64_t)
FROM_S(floor_l_s, "floor.l.s", double, bits_of_double, uint64_t)
FROM_S(cvt_d_s, "cvt.d.s", double, bits_of_double, uint64_t)
FROM_D(cvt_w_d, "cvt.w.d", float, bits_of_single, uint32_t)
FROM_D(round_w_d, "round.w.d", float, bits_of_single, uint32_t)
FROM_D(trunc_w_d, "trunc.w.d", float, bits_of_single, uint32_t)
FROM_D(ceil_w_d, "ceil.w.d", float, bits_of_single, uint32_t)
FROM_D(floor_w_d, "floor.w.d", float, bits_of_single, uint32_t)
FROM_D(cvt_l_d, "cvt.l.d", double, bits_of_double, uint64_t)
FROM_D(round_l_d, "round.l.d", double, bits_of_double, uint64_t)
FROM_D(trunc_l_d, "trunc.l.d", double, bits_of_double, uint64_t)
FROM_D(ceil_l_d, "ceil.l.d", double, bits_of_double, uint64_t)
FROM_D(floor_l_d, "floor.l.d", double, bits_of_double, uint64_t)
FROM_D(cvt_s_d, "cvt.s.d", float, bits_of_single, uint32_t)
// From the integer formats: the operand's bits sit in a float (W) or double (L) register.
FROM_S(cvt_s_w, "cvt.s.w", float, bits_of_single, uint32_t)
FROM_S(cvt_d_w, "cvt.d.w", double, bits_of_double, uint64_t)
FROM_D(cvt_s_l, "cvt.s.l", float, bits_of_single, uint32_t)
FROM_D(cvt_d_l, "cvt.d.l", double, bits_of_double, uint64_t)

static const uint32_t singles[] = {
    0x00000000, 0x80000000, 0x3F000000, 0xBF000000, 0x3FC00000, 0xC0200000, 0x40200000, 0x3F7FFFFF,
    0x00000001, 0x80800000, 0x4EFFFFFF, 0x4F000000, 0xCF000000, 0xCF000001, 0x5EFFFFFF, 0x5F000000,
    0xDF000000, 0xDF000001, 0x7F7FFFFF, 0x7F800000, 0xFF800000, 0x7F800001, 0x7FC00000, 0xFFFFFFFF,
};
static const uint64_t doubles[] = {
    0x0000000000000000, 0x8000000000000000, 0x3FE0000000000000, 0xBFE0000000000000, 0x3FF8000000000000,
    0xC004000000000000, 0x4004000000000000, 0x3FEFFFFFFFFFFFFF, 0x0000000000000001, 0x8010000000000000,
    0x41DFFFFFFFC00000, 0x41DFFFFFFFE00000, 0x41DFFFFFFFF00000, 0x41E0000000000000, 0xC1E0000000000000,
    0xC1E0000000100000, 0xC1E0000000200000, 0x43DFFFFFFFFFFFFF, 0x43E0000000000000, 0xC3E0000000000000,
    0xC3E0000000000001, 0x7FEFFFFFFFFFFFFF, 0x7FF0000000000000, 0xFFF0000000000000, 0x7FF0000000000001,
    0x7FF8000000000000, 0x3FF0000010000000, 0x3FF0000010000001, 0x36A0000000000000, 0x3690000000000001,
    0x380FFFFFF0000000, 0x47EFFFFFF0000000, 0x47EFFFFFF0000001, 0xC7EFFFFFE0000001,
};
static const uint32_t words[] = {
    0x00000000, 0x00000001, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x01000001, 0x01000003, 0xFEFFFFFF, 0x00FFFFFF,
};
static const uint64_t longs[] = {
    0x0000000000000000, 0x0000000000000001, 0xFFFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000,
    0x0020000000000001, 0x0020000000000003, 0xFFDFFFFFFFFFFFFF, 0x0000000001000001, 0x8000000000000401,
};
#define COUNT(array) (sizeof(array) / sizeof(array[0]))

typedef uint32_t (*s_to_32)(uint32_t);
typedef uint64_t (*s_to_64)(uint32_t);
typedef uint32_t (*d_to_32)(uint64_t);
typedef uint64_t (*d_to_64)(uint64_t);

static void run(uint32_t control)
{
    static const struct {
        const char* name;
        s_to_32 operation;
    } s_to_w[] = {{"cvt.w.s", cvt_w_s},     {"round.w.s", round_w_s}, {"trunc.w.s", trunc_w_s},
                  {"ceil.w.s", ceil_w_s},   {"floor.w.s", floor_w_s}};
    static const struct {
        const char* name;
        s_to_64 operation;
    } s_to_64bit[] = {{"cvt.l.s", cvt_l_s},     {"round.l.s", round_l_s}, {"trunc.l.s", trunc_l_s},
                      {"ceil.l.s", ceil_l_s},   {"floor.l.s", floor_l_s}, {"cvt.d.s", cvt_d_s}};
    static const struct {
        const char* name;
        d_to_32 operation;
    } d_to_32bit[] = {{"cvt.w.d", cvt_w_d},   {"round.w.d", round_w_d}, {"trunc.w.d", trunc_w_d},
                      {"ceil.w.d", ceil_w_d}, {"floor.w.d", floor_w_d}, {"cvt.s.d", cvt_s_d}};
    static const struct {
        const char* name;
        d_to_64 operation;
    } d_to_l[] = {{"cvt.l.d", cvt_l_d},     {"round.l.d", round_l_d}, {"trunc.l.d", trunc_l_d},
                  {"ceil.l.d", ceil_l_d},   {"floor.l.d", floor_l_d}};

    for (unsigned k = 0; k < COUNT(s_to_w); ++k)
        for (unsigned i = 0; i < COUNT(singles); ++i) {
            fcsr_write(control);
            uint32_t result = s_to_w[k].operation(singles[i]);
            printf("%s/%x %08x = %08x fcsr %08x\n", s_to_w[k].name, control, singles[i], result, fcsr_read());
        }
    for (unsigned k = 0; k < COUNT(s_to_64bit); ++k)
        for (unsigned i = 0; i < COUNT(singles); ++i) {
            fcsr_write(control);
            uint64_t result = s_to_64bit[k].operation(singles[i]);
            printf("%s/%x %08x = %016llx fcsr %08x\n", s_to_64bit[k].name, control, singles[i],
                   (unsigned long long)result, fcsr_read());
        }
    for (unsigned k = 0; k < COUNT(d_to_32bit); ++k)
        for (unsigned i = 0; i < COUNT(doubles); ++i) {
            fcsr_write(control);
            uint32_t result = d_to_32bit[k].operation(doubles[i]);
            printf("%s/%x %016llx = %08x fcsr %08x\n", d_to_32bit[k].name, control, (unsigned long long)doubles[i],
                   result, fcsr_read());
        }
    for (unsigned k = 0; k < COUNT(d_to_l); ++k)
        for (unsigned i = 0; i < COUNT(doubles); ++i) {
            fcsr_write(control);
            uint64_t result = d_to_l[k].operation(doubles[i]);
            printf("%s/%x %016llx = %016llx fcsr %08x\n", d_to_l[k].name, control, (unsigned long long)doubles[i],
                   (unsigned long long)result, fcsr_read());
        }
    for (unsigned i = 0; i < COUNT(words); ++i) {
        fcsr_write(control);
        uint32_t single = cvt_s_w(words[i]);
        uint32_t single_fcsr = fcsr_read();
        fcsr_write(control);
        uint64_t wide = cvt_d_w(words[i]);
        printf("cvt.s.w/%x %08x = %08x fcsr %08x; cvt.d.w = %016llx fcsr %08x\n", control, words[i], single,
               single_fcsr, (unsigned long long)wide, fcsr_read());
    }
    for (unsigned i = 0; i < COUNT(longs); ++i) {
        fcsr_write(control);
        uint32_t single = cvt_s_l(longs[i]);
        uint32_t single_fcsr = fcsr_read();
        fcsr_write(control);
        uint64_t wide = cvt_d_l(longs[i]);
        printf("cvt.s.l/%x %016llx = %08x fcsr %08x; cvt.d.l = %016llx fcsr %08x\n", control,
               (unsigned long long)longs[i], single, single_fcsr, (unsigned long long)wide, fcsr_read());
    }
}

int main(void)
{
    for (uint32_t rounding = 0; rounding < 4; ++rounding)
        run(rounding);
    run(0x01000000); // FS: cvt.s.d of values that become subnormal singles
    run(0x01000003);
    return 0;
}
