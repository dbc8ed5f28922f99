// FPU data movement in the FR = 1 register mode an FPXX program runs in: LWC1/SWC1/LDC1/SDC1,
// the COP1X indexed forms LWXC1/LDXC1/LUXC1/SWXC1/SDXC1/SUXC1, MFC1/MTC1/MFHC1/MTHC1 on even and
// odd registers, doubles in odd registers, and the control registers through CFC1/CTC1 (FIR,
// FCCR, FEXR, FENR, FCSR and its read-only bits).
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void fcsr_write(uint32_t value) { __asm__ volatile("ctc1 %0, $31" : : "r"(value)); }

static uint64_t memory[8] __attribute__((aligned(8)));

static void dump(const char* label)
{
    printf("%s:", label);
    for (unsigned i = 0; i < 8; ++i)
        printf(" %016llx", (unsigned long long)memory[i]);
    printf("\n");
}

static void loads_and_stores(void)
{
    for (unsigned i = 0; i < 8; ++i)
        memory[i] = 0x0101010101010101ull * (i + 1) ^ 0x8040201008040201ull;
    char* base = (char*)memory;
    uint32_t word_low, word_high, pair_low, pair_high;
    // ldc1 into an odd register, then the halves through mfc1/mfhc1; lwc1 keeps the high half.
    __asm__ volatile(".set push\n\t.set fp=64\n\t.set oddspreg\n\t"
                     "ldc1 $f3, 8(%4)\n\t"
                     "lwc1 $f3, 20(%4)\n\t"
                     "mfc1 %0, $f3\n\t"
                     "mfhc1 %1, $f3\n\t"
                     "ldc1 $f4, 16(%4)\n\t"
                     "mfc1 %2, $f4\n\t"
                     "mfhc1 %3, $f4\n\t"
                     "sdc1 $f3, 0(%4)\n\t"
                     "swc1 $f4, 28(%4)\n\t"
                     ".set pop"
                     : "=&r"(word_low), "=&r"(word_high), "=&r"(pair_low), "=&r"(pair_high)
                     : "r"(base)
                     : "$f3", "$f4", "memory");
    printf("ldc1/lwc1 $f3: %08x %08x; $f4: %08x %08x\n", word_low, word_high, pair_low, pair_high);
    dump("after sdc1/swc1");

    // The indexed forms: base + index; luxc1/suxc1 ignore the address's low three bits.
    uint32_t a, b, c, d;
    __asm__ volatile(".set push\n\t.set fp=64\n\t.set oddspreg\n\t"
                     "lwxc1 $f5, %5(%4)\n\t"
                     "ldxc1 $f6, %6(%4)\n\t"
                     "luxc1 $f7, %7(%4)\n\t"
                     "mfc1 %0, $f5\n\t"
                     "mfc1 %1, $f6\n\t"
                     "mfhc1 %2, $f6\n\t"
                     "mfhc1 %3, $f7\n\t"
                     "swxc1 $f5, %6(%4)\n\t"
                     "sdxc1 $f7, %8(%4)\n\t"
                     "suxc1 $f6, %7(%4)\n\t"
                     ".set pop"
                     : "=&r"(a), "=&r"(b), "=&r"(c), "=&r"(d)
                     : "r"(base), "r"(36), "r"(40), "r"(53), "r"(8)
                     : "$f5", "$f6", "$f7", "memory");
    printf("lwxc1 %08x ldxc1 %08x %08x luxc1 high %08x\n", a, b, c, d);
    dump("after swxc1/sdxc1/suxc1");

    // PREFX is a hint with no architectural effect: nothing changes, and an unmapped address
    // (here 0 + 0) does not fault.
    __asm__ volatile("prefx 0, %1(%0)\n\t"
                     "prefx 31, $0($0)"
                     :
                     : "r"(base), "r"(8)
                     : "memory");
    dump("after prefx");
}

static void moves(void)
{
    uint32_t results[8];
    // mtc1/mthc1 on odd and even registers: with FR = 1 each register is 64 bits wide.
    __asm__ volatile(".set push\n\t.set fp=64\n\t.set oddspreg\n\t"
                     "mtc1 %8, $f8\n\t"
                     "mtc1 %9, $f9\n\t"
                     "mthc1 %10, $f8\n\t"
                     "mthc1 %11, $f9\n\t"
                     "mfc1 %0, $f8\n\t"
                     "mfhc1 %1, $f8\n\t"
                     "mfc1 %2, $f9\n\t"
                     "mfhc1 %3, $f9\n\t"
                     "mov.d $f11, $f9\n\t"
                     "add.d $f13, $f11, $f8\n\t"
                     "mfc1 %4, $f11\n\t"
                     "mfhc1 %5, $f11\n\t"
                     "mfc1 %6, $f13\n\t"
                     "mfhc1 %7, $f13\n\t"
                     ".set pop"
                     : "=&r"(results[0]), "=&r"(results[1]), "=&r"(results[2]), "=&r"(results[3]), "=&r"(results[4]),
                       "=&r"(results[5]), "=&r"(results[6]), "=&r"(results[7])
                     : "r"(0x11111111), "r"(0x22222222), "r"(0x3FF00000), "r"(0x40000000)
                     : "$f8", "$f9", "$f11", "$f13");
    printf("moves:");
    for (unsigned i = 0; i < 8; ++i)
        printf(" %08x", results[i]);
    printf("\n");

    // Single-precision arithmetic on odd registers.
    uint32_t sum;
    __asm__ volatile(".set push\n\t.set fp=64\n\t.set oddspreg\n\t"
                     "mtc1 %1, $f15\n\t"
                     "mtc1 %2, $f17\n\t"
                     "add.s $f19, $f15, $f17\n\t"
                     "mfc1 %0, $f19\n\t"
                     ".set pop"
                     : "=&r"(sum)
                     : "r"(0x3F800000), "r"(0x40000000)
                     : "$f15", "$f17", "$f19");
    printf("add.s on odd registers: %08x\n", sum);
}

static uint32_t cfc1(int reg)
{
    uint32_t value = 0xDEADBEEF;
    switch (reg) {
    case 0: __asm__ volatile("cfc1 %0, $0" : "=&r"(value)); break;
    case 1: __asm__ volatile("cfc1 %0, $1" : "=&r"(value)); break;
    case 5: __asm__ volatile("cfc1 %0, $5" : "=&r"(value)); break;
    case 25: __asm__ volatile("cfc1 %0, $25" : "=&r"(value)); break;
    case 26: __asm__ volatile("cfc1 %0, $26" : "=&r"(value)); break;
    case 28: __asm__ volatile("cfc1 %0, $28" : "=&r"(value)); break;
    case 31: __asm__ volatile("cfc1 %0, $31" : "=&r"(value)); break;
    }
    return value;
}

static void ctc1(int reg, uint32_t value)
{
    switch (reg) {
    case 25: __asm__ volatile("ctc1 %0, $25" : : "r"(value)); break;
    case 26: __asm__ volatile("ctc1 %0, $26" : : "r"(value)); break;
    case 28: __asm__ volatile("ctc1 %0, $28" : : "r"(value)); break;
    case 31: __asm__ volatile("ctc1 %0, $31" : : "r"(value)); break;
    }
}

static void show_control(const char* label)
{
    printf("%s: fir %08x ufr %08x unfre %08x fccr %08x fexr %08x fenr %08x fcsr %08x\n", label, cfc1(0), cfc1(1),
           cfc1(5), cfc1(25), cfc1(26), cfc1(28), cfc1(31));
}

static void control(void)
{
    show_control("initial");
    // Everything but Cause and the enables (which would trap): bits 22..18 stay zero.
    fcsr_write(0xFFFC007F);
    show_control("fcsr all ones");
    fcsr_write(0);
    ctc1(25, 0xA5);
    show_control("fccr a5");
    ctc1(25, 0x1A5); // a reserved bit: ignored
    show_control("fccr 1a5");
    ctc1(26, 0x0003F07C & ~0x20000u);
    show_control("fexr");
    ctc1(26, 0x00040000); // reserved: ignored
    show_control("fexr reserved");
    fcsr_write(0);
    ctc1(28, 0x00000F87 & ~0xF80u);
    show_control("fenr");
    ctc1(28, 0x00000F00);
    show_control("fenr enables");
    ctc1(28, 0x00400000); // reserved: ignored
    show_control("fenr reserved");
    fcsr_write(0);
}

int main(void)
{
    loads_and_stores();
    moves();
    control();
    return 0;
}
