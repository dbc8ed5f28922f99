// Code that rewrites an instruction ahead of itself in the function that is running, and reaches
// it the way the architecture asks: SYNCI on the changed word, SYNC, then a jump with a hazard
// barrier (JR.HB) to it. The generated function is
//
//      sw      a1, 0(a0)       # a0: the address of "patched", a1: the new instruction
//      synci   0(a0)
//      sync
//      jr.hb   a0
//      nop
//  patched:
//      addiu   v0, zero, 1     # replaced before it runs
//      jr      ra
//      nop
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#include "mips_encoding.h"

static const uint32_t sync_ = 0x0000000F;
static const uint32_t nop = 0;

typedef int (*function)(uint32_t* patched, uint32_t instruction);

int main(void)
{
    uint32_t* code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED)
        return 1;
    uint32_t* start = code + 100;
    uint32_t words[] = {sw(a1, 0, a0), synci(0, a0), sync_, jr_hb(a0), nop, addiu(v0, zero, 1), jr(ra), nop};
    for (unsigned index = 0; index < sizeof words / sizeof words[0]; ++index)
        start[index] = words[index];
    __builtin___clear_cache((char*)start, (char*)(start + 8));

    long sum = 0;
    for (int i = 0; i < 100; ++i) {
        int result = ((function)start)(start + 5, addiu(v0, zero, i * 3));
        if (result != i * 3) {
            printf("round %d: the patched instruction returned %d\n", i, result);
            return 1;
        }
        sum += result;
    }
    printf("patched ahead of itself 100 times: sum %ld\n", sum);
    return munmap(code, 4096);
}
