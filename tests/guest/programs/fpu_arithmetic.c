// FPU arithmetic on special values (zeros, subnormals, the extremes, infinities, quiet and
// signalling legacy NaNs) in all four rounding modes and with FCSR.FS: ADD, SUB, MUL, DIV, SQRT,
// RECIP, RSQRT, ABS, NEG, MOV and the COP1X multiply-adds, in S and D. Every result and the FCSR
// after it are printed as hex bits, so any difference from qemu-mipsel shows.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fpu_bits.h"

#define UNARY(name, instruction, type, of, bits_of, bits_type)                                                  \
    static bits_type name(bits_type a)                                                                      \
    {                                                                                                        \
        type result;                                                                                         \
        __asm__ volatile(instruction " %0, %1" : "=f"(result) : "f"(of(a)));                                 \
        return bits_of(result);                                                                              \
    }
#define BINARY(name, instruction, type, of, bits_of, bits_type)                                                 \
    static bits_type name(bits_type a, bits_type b)                                                          \
    {                                                                                                        \
        type result;                                                                                         \
        __asm__ volatile(instruction " %0, %1, %2" : "=f"(result) : "f"(of(a)), "f"(of(b)));                 \
        return bits_of(result);                                                                              \
    }
#define TERNARY(name, instruction, type, of, bits_of, bits_type)                                                \
    static bits_type name(bits_type r, bits_type s, bits_type t)                                             \
    {                                                                                                        \
        type result;                                                                                         \
        __asm__ volatile(instruction " %0, %1, %2, %3" : "=f"(result) : "f"(of(r)), "f"(of(s)), "f"(of(t))); \
        return bits_of(result);                                                                              \
    }

UNARY(sqrt_s, "sqrt.s", float, single_of, bits_of_single, uint32_t)
UNARY(recip_s, "recip.s", float, single_of, bits_of_single, uint32_t)
UNARY(rsqrt_s, "rsqrt.s", float, single_of, bits_of_single, uint32_t)
UNARY(abs_s, "abs.s", float, single_of, bits_of_single, uint32_t)
UNARY(neg_s, "neg.s", float, single_of, bits_of_single, uint32_t)
UNARY(mov_s, "mov.s", float, single_of, bits_of_single, uint32_t)
BINARY(add_s, "add.s", float, single_of, bits_of_single, uint32_t)
BINARY(sub_s, "sub.s", float, single_of, bits_of_single, uint32_t)
BINARY(mul_s, "mul.s", float, single_of, bits_of_single, uint32_t)
BINARY(div_s, "div.s", float, single_of, bits_of_single, uint32_t)
TERNARY(madd_s, "madd.s", float, single_of, bits_of_single, uint32_t)
TERNARY(msub_s, "msub.s", float, single_of, bits_of_single, uint32_t)
TERNARY(nmadd_s, "nmadd.s", float, single_of, bits_of_single, uint32_t)
TERNARY(nmsub_s, "nmsub.s", float, single_of, bits_of_single, uint32_t)

UNARY(sqrt_d, "sqrt.d", double, double_of, bits_of_double, uint64_t)
UNARY(recip_d, "recip.d", double, double_of, bits_of_double, uint64_t)
UNARY(rsqrt_d, "rsqrt.d", double, double_of, bits_of_double, uint64_t)
UNARY(abs_d, "abs.d", double, double_of, bits_of_double, uint64_t)
UNARY(neg_d, "neg.d", double, double_of, bits_of_double, uint64_t)
UNARY(mov_d, "mov.d", double, double_of, bits_of_double, uint64_t)
BINARY(add_d, "add.d", double, double_of, bits_of_double, uint64_t)
BINARY(sub_d, "sub.d", double, double_of, bits_of_double, uint64_t)
BINARY(mul_d, "mul.d", double, double_of, bits_of_double, uint64_t)
BINARY(div_d, "div.d", double, double_of, bits_of_double, uint64_t)
TERNARY(madd_d, "madd.d", double, double_of, bits_of_double, uint64_t)
TERNARY(msub_d, "msub.d", double, double_of, bits_of_double, uint64_t)
TERNARY(nmadd_d, "nmadd.d", double, double_of, bits_of_double, uint64_t)
TERNARY(nmsub_d, "nmsub.d", double, double_of, bits_of_double, uint64_t)

static const uint32_t singles[] = {
    0x00000000, 0x80000000, 0x3F800000, 0xBFC00000, 0x00000001, 0x807FFFFF, 0x00800000, 0x7F7FFFFF,
    0x7F800000, 0xFF800000, 0x7F800001, 0x7FC00000, 0xFFBFFFFF, 0x3DCCCCCD, 0x4B800001, 0x3F7FFFFF,
};
static const uint64_t doubles[] = {
    0x0000000000000000, 0x8000000000000000, 0x3FF0000000000000, 0xBFF8000000000000,
    0x0000000000000001, 0x800FFFFFFFFFFFFF, 0x0010000000000000, 0x7FEFFFFFFFFFFFFF,
    0x7FF0000000000000, 0xFFF0000000000000, 0x7FF0000000000001, 0x7FF8000000000000,
    0xFFF7FFFFFFFFFFFF, 0x3FB999999999999A, 0x4340000000000001, 0x3FEFFFFFFFFFFFFF,
};
#define COUNT(array) (sizeof(array) / sizeof(array[0]))

typedef uint32_t (*unary_s)(uint32_t);
typedef uint32_t (*binary_s)(uint32_t, uint32_t);
typedef uint32_t (*ternary_s)(uint32_t, uint32_t, uint32_t);
typedef uint64_t (*unary_d)(uint64_t);
typedef uint64_t (*binary_d)(uint64_t, uint64_t);
typedef uint64_t (*ternary_d)(uint64_t, uint64_t, uint64_t);

// FCSR for a run: rounding mode and FS; Flags are cleared before each operation.
static void run_unary_s(const char* name, unary_s operation, uint32_t control)
{
    for (unsigned i = 0; i < COUNT(singles); ++i) {
        fcsr_write(control);
        uint32_t result = operation(singles[i]);
        printf("%s/%x %08x = %08x fcsr %08x\n", name, control, singles[i], result, fcsr_read());
    }
}
static void run_unary_d(const char* name, unary_d operation, uint32_t control)
{
    for (unsigned i = 0; i < COUNT(doubles); ++i) {
        fcsr_write(control);
        uint64_t result = operation(doubles[i]);
        printf("%s/%x %016llx = %016llx fcsr %08x\n", name, control, (unsigned long long)doubles[i],
               (unsigned long long)result, fcsr_read());
    }
}
static void run_binary_s(const char* name, binary_s operation, uint32_t control, unsigned count)
{
    for (unsigned i = 0; i < count; ++i)
        for (unsigned j = 0; j < count; ++j) {
            fcsr_write(control);
            uint32_t result = operation(singles[i], singles[j]);
            printf("%s/%x %08x %08x = %08x fcsr %08x\n", name, control, singles[i], singles[j], result, fcsr_read());
        }
}
static void run_binary_d(const char* name, binary_d operation, uint32_t control, unsigned count)
{
    for (unsigned i = 0; i < count; ++i)
        for (unsigned j = 0; j < count; ++j) {
            fcsr_write(control);
            uint64_t result = operation(doubles[i], doubles[j]);
            printf("%s/%x %016llx %016llx = %016llx fcsr %08x\n", name, control, (unsigned long long)doubles[i],
                   (unsigned long long)doubles[j], (unsigned long long)result, fcsr_read());
        }
}

// The multiply-adds on a smaller set: +0, 1, -1.5, the smallest subnormal, the largest finite,
// +inf, a quiet NaN, a signalling NaN, 1 - 2^-24 (or 2^-53).
static const unsigned ternary_picks[] = {0, 2, 3, 4, 7, 8, 10, 11, 15};

static void run_ternary_s(const char* name, ternary_s operation, uint32_t control)
{
    for (unsigned i = 0; i < COUNT(ternary_picks); ++i)
        for (unsigned j = 0; j < COUNT(ternary_picks); ++j)
            for (unsigned k = 0; k < COUNT(ternary_picks); ++k) {
                uint32_t r = singles[ternary_picks[i]], s = singles[ternary_picks[j]], t = singles[ternary_picks[k]];
                fcsr_write(control);
                uint32_t result = operation(r, s, t);
                printf("%s/%x %08x %08x %08x = %08x fcsr %08x\n", name, control, r, s, t, result, fcsr_read());
            }
}
static void run_ternary_d(const char* name, ternary_d operation, uint32_t control)
{
    for (unsigned i = 0; i < COUNT(ternary_picks); ++i)
        for (unsigned j = 0; j < COUNT(ternary_picks); ++j)
            for (unsigned k = 0; k < COUNT(ternary_picks); ++k) {
                uint64_t r = doubles[ternary_picks[i]], s = doubles[ternary_picks[j]], t = doubles[ternary_picks[k]];
                fcsr_write(control);
                uint64_t result = operation(r, s, t);
                printf("%s/%x %016llx %016llx %016llx = %016llx fcsr %08x\n", name, control, (unsigned long long)r,
                       (unsigned long long)s, (unsigned long long)t, (unsigned long long)result, fcsr_read());
            }
}

// Results that differ by rounding mode or by flushing: sums and products near 1, near the
// smallest normal and near overflow.
static void run_rounding(uint32_t control)
{
    static const uint32_t pairs_s[][2] = {
        {0x3F800000, 0x33800000}, {0xBF800000, 0xB3800000}, {0x3F800001, 0x3F7FFFFF}, {0x3F7FFFFF, 0x00800000},
        {0x3F800001, 0x007FFFFF}, {0x3F000000, 0x00800001}, {0x7F7FFFFF, 0x40000000}, {0xFF7FFFFF, 0x3F800001},
        {0x40400000, 0x3EAAAAAB}, {0x00000003, 0x3F000000}, {0x3F800000, 0xBF800000}, {0x00800000, 0x80000001},
    };
    static const uint64_t pairs_d[][2] = {
        {0x3FF0000000000000, 0x3CA0000000000000}, {0xBFF0000000000000, 0xBCA0000000000000},
        {0x3FF0000000000001, 0x3FEFFFFFFFFFFFFF}, {0x3FEFFFFFFFFFFFFF, 0x0010000000000000},
        {0x3FF0000000000001, 0x000FFFFFFFFFFFFF}, {0x7FEFFFFFFFFFFFFF, 0x4000000000000000},
        {0x4008000000000000, 0x3FD5555555555555}, {0x0000000000000003, 0x3FE0000000000000},
        {0x3FF0000000000000, 0xBFF0000000000000}, {0x0010000000000000, 0x8000000000000001},
    };
    for (unsigned i = 0; i < COUNT(pairs_s); ++i) {
        uint32_t a = pairs_s[i][0], b = pairs_s[i][1];
        binary_s operations[] = {add_s, sub_s, mul_s, div_s};
        const char* names[] = {"add.s", "sub.s", "mul.s", "div.s"};
        for (unsigned k = 0; k < 4; ++k) {
            fcsr_write(control);
            uint32_t result = operations[k](a, b);
            printf("%s/%x %08x %08x = %08x fcsr %08x\n", names[k], control, a, b, result, fcsr_read());
        }
        fcsr_write(control);
        uint32_t result = madd_s(b, a, b);
        printf("madd.s/%x %08x %08x %08x = %08x fcsr %08x\n", control, b, a, b, result, fcsr_read());
        fcsr_write(control);
        result = sqrt_s(a & 0x7FFFFFFF);
        printf("sqrt.s/%x %08x = %08x fcsr %08x\n", control, a & 0x7FFFFFFF, result, fcsr_read());
    }
    for (unsigned i = 0; i < COUNT(pairs_d); ++i) {
        uint64_t a = pairs_d[i][0], b = pairs_d[i][1];
        binary_d operations[] = {add_d, sub_d, mul_d, div_d};
        const char* names[] = {"add.d", "sub.d", "mul.d", "div.d"};
        for (unsigned k = 0; k < 4; ++k) {
            fcsr_write(control);
            uint64_t result = operations[k](a, b);
            printf("%s/%x %016llx %016llx = %016llx fcsr %08x\n", names[k], control, (unsigned long long)a,
                   (unsigned long long)b, (unsigned long long)result, fcsr_read());
        }
        fcsr_write(control);
        uint64_t result = msub_d(b, a, b);
        printf("msub.d/%x %016llx %016llx = %016llx fcsr %08x\n", control, (unsigned long long)a,
               (unsigned long long)b, (unsigned long long)result, fcsr_read());
        fcsr_write(control);
        result = rsqrt_d(a & 0x7FFFFFFFFFFFFFFFull);
        printf("rsqrt.d/%x %016llx = %016llx fcsr %08x\n", control, (unsigned long long)a,
               (unsigned long long)result, fcsr_read());
    }
}

int main(void)
{
    // Everything in round-to-nearest.
    run_unary_s("sqrt.s", sqrt_s, 0);
    run_unary_s("recip.s", recip_s, 0);
    run_unary_s("rsqrt.s", rsqrt_s, 0);
    run_unary_s("abs.s", abs_s, 0);
    run_unary_s("neg.s", neg_s, 0);
    run_unary_s("mov.s", mov_s, 0);
    run_binary_s("add.s", add_s, 0, COUNT(singles));
    run_binary_s("sub.s", sub_s, 0, COUNT(singles));
    run_binary_s("mul.s", mul_s, 0, COUNT(singles));
    run_binary_s("div.s", div_s, 0, COUNT(singles));
    run_ternary_s("madd.s", madd_s, 0);
    run_ternary_s("msub.s", msub_s, 0);
    run_ternary_s("nmadd.s", nmadd_s, 0);
    run_ternary_s("nmsub.s", nmsub_s, 0);

    run_unary_d("sqrt.d", sqrt_d, 0);
    run_unary_d("recip.d", recip_d, 0);
    run_unary_d("rsqrt.d", rsqrt_d, 0);
    run_unary_d("abs.d", abs_d, 0);
    run_unary_d("neg.d", neg_d, 0);
    run_unary_d("mov.d", mov_d, 0);
    run_binary_d("add.d", add_d, 0, COUNT(doubles));
    run_binary_d("sub.d", sub_d, 0, COUNT(doubles));
    run_binary_d("mul.d", mul_d, 0, COUNT(doubles));
    run_binary_d("div.d", div_d, 0, COUNT(doubles));
    run_ternary_d("madd.d", madd_d, 0);
    run_ternary_d("msub.d", msub_d, 0);
    run_ternary_d("nmadd.d", nmadd_d, 0);
    run_ternary_d("nmsub.d", nmsub_d, 0);

    // The other rounding modes (RZ, RP, RM) and flush-to-zero in each mode, on the finite values.
    for (uint32_t control = 1; control < 8; ++control) {
        uint32_t fcsr = (control & 3) | (control & 4 ? 0x01000000 : 0);
        run_rounding(fcsr);
        run_binary_s("mul.s", mul_s, fcsr, 8);
        run_binary_d("add.d", add_d, fcsr, 8);
        run_unary_s("recip.s", recip_s, fcsr);
        run_unary_d("sqrt.d", sqrt_d, fcsr);
    }
    run_rounding(0x01000000);

    // Flags accumulate across operations while Cause holds only the last one's.
    fcsr_write(0);
    add_s(0x7F7FFFFF, 0x7F7FFFFF);
    div_d(0x3FF0000000000000, 0);
    mul_s(0x00800000, 0x00800000);
    printf("accumulated fcsr %08x\n", fcsr_read());
    abs_s(0x7FC00000);
    printf("after abs.s fcsr %08x\n", fcsr_read());
    sqrt_s(0xBF800000);
    printf("after sqrt.s(-1) fcsr %08x\n", fcsr_read());
    return 0;
}
