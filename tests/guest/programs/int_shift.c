// Shifts and rotates by immediate amounts 0, 1, 8, 16, 31 and by register amounts whose low five
// bits matter (0, 1, 31, 32, 33, 63, -1): SLL SRL SRA ROTR SLLV SRLV SRAV ROTRV.
#include <stdint.h>
#include <stdio.h>

static const uint32_t values[] = {0, 1, 0x80000000, 0xffffffff, 0x7fffffff, 0x12345678, 0x87654321, 0xa5a5a5a5};
#define COUNT (sizeof values / sizeof values[0])
static const uint32_t amounts[] = {0, 1, 7, 31, 32, 33, 63, 0xffffffff, 0x80000010};
#define AMOUNTS (sizeof amounts / sizeof amounts[0])

#define BY_IMMEDIATE(op, sa)                                                                     \
    for (unsigned i = 0; i < COUNT; ++i) {                                                       \
        uint32_t d;                                                                              \
        __asm__ volatile(#op " %0,%1,%2" : "=r"(d) : "r"(values[i]), "i"(sa));                   \
        printf(#op " %08x," #sa " -> %08x\n", values[i], d);                                     \
    }

#define BY_REGISTER(op)                                                                          \
    for (unsigned i = 0; i < COUNT; ++i) {                                                       \
        for (unsigned j = 0; j < AMOUNTS; ++j) {                                                 \
            uint32_t d;                                                                          \
            __asm__ volatile(#op " %0,%1,%2" : "=r"(d) : "r"(values[i]), "r"(amounts[j]));       \
            printf(#op " %08x,%08x -> %08x\n", values[i], amounts[j], d);                        \
        }                                                                                        \
    }

int main(void)
{
    BY_IMMEDIATE(sll, 0)
    BY_IMMEDIATE(sll, 1)
    BY_IMMEDIATE(sll, 8)
    BY_IMMEDIATE(sll, 16)
    BY_IMMEDIATE(sll, 31)
    BY_IMMEDIATE(srl, 0)
    BY_IMMEDIATE(srl, 1)
    BY_IMMEDIATE(srl, 8)
    BY_IMMEDIATE(srl, 16)
    BY_IMMEDIATE(srl, 31)
    BY_IMMEDIATE(sra, 0)
    BY_IMMEDIATE(sra, 1)
    BY_IMMEDIATE(sra, 8)
    BY_IMMEDIATE(sra, 16)
    BY_IMMEDIATE(sra, 31)
    BY_IMMEDIATE(rotr, 0)
    BY_IMMEDIATE(rotr, 1)
    BY_IMMEDIATE(rotr, 8)
    BY_IMMEDIATE(rotr, 16)
    BY_IMMEDIATE(rotr, 31)
    BY_REGISTER(sllv)
    BY_REGISTER(srlv)
    BY_REGISTER(srav)
    BY_REGISTER(rotrv)

    // The amount register is also the destination: the old value is the amount.
    uint32_t x = 4;
    __asm__ volatile("sllv %0,%1,%0" : "+r"(x) : "r"(0x00000101));
    printf("sllv x,0x101,x(4) -> %08x\n", x);
    // The no-operation encodings: nop, ssnop, ehb and pause are SLL to $0.
    __asm__ volatile("nop\n\tssnop\n\tehb\n\t.word 0x00000140 # pause");
    printf("nop, ssnop, ehb, pause ran\n");
    return 0;
}
