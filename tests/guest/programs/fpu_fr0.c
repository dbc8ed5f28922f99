// CFLAGS: -mfp32
// The FR = 0 register mode of an FP32 program: a double spans an even/odd pair of 32-bit
// registers, MFHC1/MTHC1 reach the odd register of the pair, LDC1/SDC1 move both halves, and the
// L format is unavailable. An arithmetic instruction naming an odd register for a double is a
// Reserved Instruction: the last one kills the program with SIGILL (exit status 128 + 4).
#include <stdint.h>
#include <stdio.h>

static uint64_t memory[2] __attribute__((aligned(8))) = {0x400921FB54442D18ull, 0};

int main(void)
{
    uint32_t high, odd, low, sum_low, sum_high;
    __asm__ volatile(".set push\n\t.set oddspreg\n\t"
                     "mtc1 %5, $f0\n\t"
                     "mtc1 %6, $f1\n\t"
                     "mfhc1 %0, $f0\n\t"
                     "mthc1 %7, $f2\n\t"
                     "mfc1 %1, $f3\n\t"
                     "ldc1 $f4, 0(%8)\n\t"
                     "mfc1 %2, $f5\n\t"
                     "add.d $f6, $f4, $f4\n\t"
                     "mfc1 %3, $f6\n\t"
                     "mfc1 %4, $f7\n\t"
                     "sdc1 $f6, 8(%8)\n\t"
                     ".set pop"
                     : "=&r"(high), "=&r"(odd), "=&r"(low), "=&r"(sum_low), "=&r"(sum_high)
                     : "r"(0x11111111), "r"(0x22222222), "r"(0x33333333), "r"(memory)
                     : "$f0", "$f1", "$f2", "$f3", "$f4", "$f5", "$f6", "$f7", "memory");
    printf("mfhc1 $f0 = %08x, $f3 after mthc1 $f2 = %08x, $f5 after ldc1 $f4 = %08x\n", high, odd, low);
    printf("2 pi = %08x %08x, stored %016llx\n", sum_high, sum_low, (unsigned long long)memory[1]);

    // mov.s and single arithmetic on an odd register are fine with FR = 0.
    float single;
    __asm__ volatile(".set push\n\t.set oddspreg\n\t"
                     "mtc1 %1, $f9\n\t"
                     "add.s $f9, $f9, $f9\n\t"
                     "mov.s %0, $f9\n\t"
                     ".set pop"
                     : "=f"(single)
                     : "r"(0x3FC00000)
                     : "$f9");
    printf("add.s on $f9: %a\n", single);
    fflush(stdout);

    // add.d $f0, $f1, $f2 names an odd double register.
    __asm__ volatile(".word 0x46220800");
    printf("not reached\n");
    return 0;
}
