// Integer arithmetic, logic and comparisons on edge operands, register and immediate forms:
// ADD ADDU SUB SUBU AND OR XOR NOR SLT SLTU, ADDI ADDIU SLTI SLTIU ANDI ORI XORI LUI.
// ADD, SUB and ADDI run here only on operands that do not overflow; int_overflow.c covers the
// trap. Every result is printed, so any difference from qemu-mipsel shows.
#include <stdint.h>
#include <stdio.h>

static const uint32_t values[] = {
    0, 1, 2, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7ffffffe, 0x7fffffff,
    0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x12345678, 0xdeadbeef, 0xffff8000,
};
#define COUNT (sizeof values / sizeof values[0])

// Three-register forms: rd = rs op rt.
#define REGISTER_FORM(op)                                                                        \
    static uint32_t op##_registers(uint32_t s, uint32_t t)                                       \
    {                                                                                            \
        uint32_t d;                                                                              \
        __asm__ volatile(#op " %0,%1,%2" : "=r"(d) : "r"(s), "r"(t));                            \
        return d;                                                                                \
    }
REGISTER_FORM(add)
REGISTER_FORM(addu)
REGISTER_FORM(sub)
REGISTER_FORM(subu)
REGISTER_FORM(and)
REGISTER_FORM(or)
REGISTER_FORM(xor)
REGISTER_FORM(nor)
REGISTER_FORM(slt)
REGISTER_FORM(sltu)

static int add_overflows(uint32_t s, uint32_t t)
{
    int32_t ignored;
    return __builtin_add_overflow((int32_t)s, (int32_t)t, &ignored);
}

static int sub_overflows(uint32_t s, uint32_t t)
{
    int32_t ignored;
    return __builtin_sub_overflow((int32_t)s, (int32_t)t, &ignored);
}

// Destination and source the same register, and $0 as a source or destination.
static void register_corners(void)
{
    uint32_t x = 0x12345678, zero_result = 5;
    __asm__ volatile("addu %0,%0,%0" : "+r"(x));
    printf("addu x,x,x -> %08x\n", x);
    __asm__ volatile("subu %0,%0,%0" : "+r"(x));
    printf("subu x,x,x -> %08x\n", x);
    __asm__ volatile("nor %0,$0,$0" : "=r"(x));
    printf("nor x,zero,zero -> %08x\n", x);
    __asm__ volatile("addu $0,%1,%1\n\tmove %0,$0" : "=r"(zero_result) : "r"(x));
    printf("addu zero,x,x then move -> %08x\n", zero_result);
    __asm__ volatile("sltu %0,$0,%1" : "=r"(x) : "r"(7));
    printf("sltu x,zero,7 -> %08x\n", x);
}

#define IMMEDIATE_FORM(op, immediate)                                                            \
    for (unsigned i = 0; i < COUNT; ++i) {                                                       \
        uint32_t d;                                                                              \
        __asm__ volatile(#op " %0,%1,%2" : "=r"(d) : "r"(values[i]), "i"(immediate));            \
        printf(#op " %08x," #immediate " -> %08x\n", values[i], d);                              \
    }

// ADDI with an immediate that cannot overflow for the value: checked first.
#define ADDI_FORM(immediate)                                                                     \
    for (unsigned i = 0; i < COUNT; ++i) {                                                       \
        int32_t ignored;                                                                         \
        if (__builtin_add_overflow((int32_t)values[i], (int32_t)(immediate), &ignored))          \
            continue;                                                                            \
        uint32_t d;                                                                              \
        __asm__ volatile("addi %0,%1,%2" : "=r"(d) : "r"(values[i]), "i"(immediate));            \
        printf("addi %08x," #immediate " -> %08x\n", values[i], d);                              \
    }

#define LUI_FORM(immediate)                                                                      \
    do {                                                                                         \
        uint32_t d;                                                                              \
        __asm__ volatile("lui %0,%1" : "=r"(d) : "i"(immediate));                                \
        printf("lui " #immediate " -> %08x\n", d);                                               \
    } while (0)

int main(void)
{
    for (unsigned i = 0; i < COUNT; ++i) {
        for (unsigned j = 0; j < COUNT; ++j) {
            uint32_t s = values[i], t = values[j];
            printf("%08x %08x: addu %08x subu %08x and %08x or %08x xor %08x nor %08x slt %u sltu %u", s, t,
                   addu_registers(s, t), subu_registers(s, t), and_registers(s, t), or_registers(s, t),
                   xor_registers(s, t), nor_registers(s, t), slt_registers(s, t), sltu_registers(s, t));
            if (!add_overflows(s, t))
                printf(" add %08x", add_registers(s, t));
            if (!sub_overflows(s, t))
                printf(" sub %08x", sub_registers(s, t));
            printf("\n");
        }
    }
    register_corners();

    IMMEDIATE_FORM(addiu, 0)
    IMMEDIATE_FORM(addiu, 1)
    IMMEDIATE_FORM(addiu, -1)
    IMMEDIATE_FORM(addiu, 32767)
    IMMEDIATE_FORM(addiu, -32768)
    ADDI_FORM(0)
    ADDI_FORM(1)
    ADDI_FORM(-1)
    ADDI_FORM(32767)
    ADDI_FORM(-32768)
    IMMEDIATE_FORM(slti, 0)
    IMMEDIATE_FORM(slti, 1)
    IMMEDIATE_FORM(slti, -1)
    IMMEDIATE_FORM(slti, 32767)
    IMMEDIATE_FORM(slti, -32768)
    IMMEDIATE_FORM(sltiu, 0)
    IMMEDIATE_FORM(sltiu, 1)
    IMMEDIATE_FORM(sltiu, -1)
    IMMEDIATE_FORM(sltiu, 32767)
    IMMEDIATE_FORM(sltiu, -32768)
    IMMEDIATE_FORM(andi, 0)
    IMMEDIATE_FORM(andi, 0xffff)
    IMMEDIATE_FORM(andi, 0x8001)
    IMMEDIATE_FORM(ori, 0)
    IMMEDIATE_FORM(ori, 0xffff)
    IMMEDIATE_FORM(ori, 0x8001)
    IMMEDIATE_FORM(xori, 0)
    IMMEDIATE_FORM(xori, 0xffff)
    IMMEDIATE_FORM(xori, 0x8001)
    LUI_FORM(0);
    LUI_FORM(1);
    LUI_FORM(0x7fff);
    LUI_FORM(0x8000);
    LUI_FORM(0xffff);
    return 0;
}
