// Bit-field and byte instructions: CLZ CLO (of 0, ~0 and everything between), EXT and INS at
// the edge positions and sizes (pos 0 and 31, size 1 and 32), WSBH SEB SEH, and the conditional
// moves MOVZ MOVN.
#include <stdint.h>
#include <stdio.h>

static const uint32_t values[] = {0, 1, 0xffffffff, 0xfffffffe, 0x80000000, 0x7fffffff, 0x00008000, 0x0000ff80,
                                  0x000000ff, 0x12345678, 0x87654321, 0xf0f0f0f0, 0x00010000, 0xc0000000};
#define COUNT (sizeof values / sizeof values[0])

#define UNARY(op)                                                                                \
    for (unsigned i = 0; i < COUNT; ++i) {                                                       \
        uint32_t d;                                                                              \
        __asm__ volatile(#op " %0,%1" : "=r"(d) : "r"(values[i]));                               \
        printf(#op " %08x -> %08x\n", values[i], d);                                             \
    }

// ext rt, rs, pos, size
#define EXT(pos, size)                                                                           \
    for (unsigned i = 0; i < COUNT; ++i) {                                                       \
        uint32_t d;                                                                              \
        __asm__ volatile("ext %0,%1,%2,%3" : "=r"(d) : "r"(values[i]), "i"(pos), "i"(size));     \
        printf("ext %08x," #pos "," #size " -> %08x\n", values[i], d);                           \
    }

// ins rt, rs, pos, size: rt keeps its bits outside the field
#define INS(pos, size)                                                                           \
    for (unsigned i = 0; i < COUNT; ++i) {                                                       \
        uint32_t d = 0x5a5a5a5a;                                                                 \
        __asm__ volatile("ins %0,%1,%2,%3" : "+r"(d) : "r"(values[i]), "i"(pos), "i"(size));     \
        printf("ins %08x," #pos "," #size " -> %08x\n", values[i], d);                           \
    }

int main(void)
{
    UNARY(clz)
    UNARY(clo)
    UNARY(wsbh)
    UNARY(seb)
    UNARY(seh)
    EXT(0, 1)
    EXT(0, 32)
    EXT(31, 1)
    EXT(1, 31)
    EXT(4, 8)
    EXT(16, 16)
    EXT(0, 16)
    EXT(8, 24)
    INS(0, 1)
    INS(0, 32)
    INS(31, 1)
    INS(1, 31)
    INS(4, 8)
    INS(16, 16)
    INS(0, 16)
    INS(8, 24)
    for (unsigned i = 0; i < COUNT; ++i) {
        for (unsigned j = 0; j < 4; ++j) {
            uint32_t condition = values[j];
            uint32_t z = 0x11111111, n = 0x22222222;
            __asm__ volatile("movz %0,%2,%3\n\tmovn %1,%2,%3" : "+r"(z), "+r"(n) : "r"(values[i]), "r"(condition));
            printf("movz/movn %08x if %08x -> %08x %08x\n", values[i], condition, z, n);
        }
    }
    // The conditional moves with rd also the condition register.
    uint32_t x = 0;
    __asm__ volatile("movz %0,%1,%0" : "+r"(x) : "r"(0xabcdef01));
    printf("movz x,v,x(0) -> %08x\n", x);
    __asm__ volatile("movn %0,%1,%0" : "+r"(x) : "r"(0x12));
    printf("movn x,v,x -> %08x\n", x);
    return 0;
}
