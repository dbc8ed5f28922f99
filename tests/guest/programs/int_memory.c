// Loads and stores: LB LBU LH LHU LW SB SH SW with positive and negative offsets; the unaligned
// pairs LWL LWR SWL SWR at all four byte offsets (little-endian); LL and SC; and the hints PREF,
// SYNC (every named type) and SYNCI, which must not fault.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint8_t buffer[32] __attribute__((aligned(8)));

static void fill(void)
{
    for (unsigned i = 0; i < sizeof buffer; ++i)
        buffer[i] = (uint8_t)(0x80 + 0x11 * i);
}

static void dump(const char* label)
{
    printf("%s:", label);
    for (unsigned i = 0; i < 16; ++i)
        printf(" %02x", buffer[i]);
    printf("\n");
}

#define LOAD(op, offset)                                                                         \
    do {                                                                                         \
        uint32_t d;                                                                              \
        __asm__ volatile(#op " %0," #offset "(%1)" : "=r"(d) : "r"(buffer + 8) : "memory");     \
        printf(#op " " #offset " -> %08x\n", d);                                                 \
    } while (0)

#define STORE(op, offset, value)                                                                 \
    do {                                                                                         \
        fill();                                                                                  \
        __asm__ volatile(#op " %0," #offset "(%1)" ::"r"(value), "r"(buffer + 8) : "memory");  \
        dump(#op " " #offset);                                                                   \
    } while (0)

// LWL or LWR at buffer + 4 + offset into a register that starts as 0x11223344.
#define PARTIAL_LOAD(op, offset)                                                                 \
    do {                                                                                         \
        uint32_t d = 0x11223344;                                                                 \
        __asm__ volatile(#op " %0," #offset "(%1)" : "+r"(d) : "r"(buffer + 4) : "memory");     \
        printf(#op " +" #offset " -> %08x\n", d);                                                \
    } while (0)

#define PARTIAL_STORE(op, offset)                                                                \
    do {                                                                                         \
        memset(buffer, 0xaa, sizeof buffer);                                                     \
        __asm__ volatile(#op " %0," #offset "(%1)" ::"r"(0x11223344), "r"(buffer + 4) : "memory"); \
        dump(#op " +" #offset);                                                                  \
    } while (0)

// The compiler's unaligned word idiom: lwl at the last byte, lwr at the first.
static uint32_t unaligned_load(const uint8_t* p)
{
    uint32_t d;
    __asm__ volatile("lwl %0,3(%1)\n\tlwr %0,0(%1)" : "=&r"(d) : "r"(p) : "memory");
    return d;
}

static void unaligned_store(uint8_t* p, uint32_t value)
{
    __asm__ volatile("swl %0,3(%1)\n\tswr %0,0(%1)" ::"r"(value), "r"(p) : "memory");
}

static uint32_t word_for_linking __attribute__((aligned(4))) = 100;

static void linked(void)
{
    uint32_t loaded, result;
    // LL then SC: the store happens and SC writes 1.
    __asm__ volatile("ll %0,0(%2)\n\taddiu %1,%0,1\n\tsc %1,0(%2)" : "=&r"(loaded), "=&r"(result) : "r"(&word_for_linking)
                     : "memory");
    printf("ll %u, sc -> %u, word %u\n", loaded, result, word_for_linking);
    // A second SC without a new LL fails: the first one consumed the link.
    result = 555;
    __asm__ volatile("sc %0,0(%1)" : "+r"(result) : "r"(&word_for_linking) : "memory");
    printf("sc again -> %u, word %u\n", result, word_for_linking);
    // The word changes between LL and SC: SC fails and does not store.
    __asm__ volatile("ll %0,0(%2)\n\tli %1,7\n\tsw %1,0(%2)\n\taddiu %1,%0,1\n\tsc %1,0(%2)"
                     : "=&r"(loaded), "=&r"(result)
                     : "r"(&word_for_linking)
                     : "memory");
    printf("ll %u, other store, sc -> %u, word %u\n", loaded, result, word_for_linking);
    // The LL/SC loop the compiler emits for an atomic add.
    uint32_t old = __atomic_fetch_add(&word_for_linking, 5, __ATOMIC_SEQ_CST);
    printf("atomic add: old %u new %u\n", old, word_for_linking);
    uint32_t expected = 12;
    int exchanged = __atomic_compare_exchange_n(&word_for_linking, &expected, 40, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("compare-exchange 12 -> 40: %d, word %u\n", exchanged, word_for_linking);
}

static void hints(void)
{
    // PREF never faults, even at an address that is not mapped.
    __asm__ volatile("pref 0,0(%0)\n\tpref 1,4(%0)\n\tpref 30,-4(%0)\n\tpref 0,0($0)" ::"r"(buffer) : "memory");
    __asm__ volatile("sync\n\tsync 4\n\tsync 16\n\tsync 17\n\tsync 18\n\tsync 19\n\tsync 24" ::: "memory");
    __asm__ volatile("synci 0(%0)\n\tsynci 32(%0)" ::"r"(&hints) : "memory");
    printf("pref, sync and synci ran\n");
}

int main(void)
{
    fill();
    LOAD(lb, 0);
    LOAD(lb, 1);
    LOAD(lb, -1);
    LOAD(lb, -8);
    LOAD(lbu, 0);
    LOAD(lbu, -5);
    LOAD(lbu, 7);
    LOAD(lh, 0);
    LOAD(lh, 2);
    LOAD(lh, -2);
    LOAD(lh, 6);
    LOAD(lhu, 0);
    LOAD(lhu, -6);
    LOAD(lhu, 4);
    LOAD(lw, 0);
    LOAD(lw, 4);
    LOAD(lw, -4);
    LOAD(lw, -8);
    STORE(sb, 0, 0x123456ff);
    STORE(sb, -3, 0x7f);
    STORE(sh, 2, 0xabcd8765);
    STORE(sh, -2, 0xffff);
    STORE(sw, 0, 0xdeadbeef);
    STORE(sw, -8, 0x01020304);

    fill();
    PARTIAL_LOAD(lwl, 0);
    PARTIAL_LOAD(lwl, 1);
    PARTIAL_LOAD(lwl, 2);
    PARTIAL_LOAD(lwl, 3);
    PARTIAL_LOAD(lwr, 0);
    PARTIAL_LOAD(lwr, 1);
    PARTIAL_LOAD(lwr, 2);
    PARTIAL_LOAD(lwr, 3);
    PARTIAL_STORE(swl, 0);
    PARTIAL_STORE(swl, 1);
    PARTIAL_STORE(swl, 2);
    PARTIAL_STORE(swl, 3);
    PARTIAL_STORE(swr, 0);
    PARTIAL_STORE(swr, 1);
    PARTIAL_STORE(swr, 2);
    PARTIAL_STORE(swr, 3);
    fill();
    for (unsigned offset = 0; offset < 4; ++offset)
        printf("unaligned load at +%u -> %08x\n", offset, unaligned_load(buffer + 8 + offset));
    for (unsigned offset = 0; offset < 4; ++offset) {
        memset(buffer, 0, sizeof buffer);
        unaligned_store(buffer + 4 + offset, 0xa1b2c3d4);
        dump("unaligned store");
    }
    linked();
    hints();
    return 0;
}
