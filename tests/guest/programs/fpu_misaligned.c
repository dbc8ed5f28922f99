// LDC1 needs a doubleword-aligned address: an address that is only word aligned is an address
// error, SIGBUS (exit status 128 + 10). Aligned LWC1/LDC1 before it work.
#include <stdint.h>
#include <stdio.h>

static uint32_t words[4] __attribute__((aligned(8))) = {0x00000000, 0x3FF80000, 0x40490FDB, 0x00000000};

int main(int argc, char** argv)
{
    (void)argv;
    const char* base = (const char*)words;
    double aligned;
    float single;
    __asm__ volatile("ldc1 %0, 0(%2)\n\tlwc1 %1, 8(%2)" : "=f"(aligned), "=f"(single) : "r"(base));
    printf("ldc1 %a lwc1 %a\n", aligned, single);
    fflush(stdout);
    double misaligned;
    __asm__ volatile("ldc1 %0, 0(%1)" : "=f"(misaligned) : "r"(base + 4 * argc));
    printf("not reached: %a\n", misaligned);
    return 0;
}
