// Self-modifying code: a function generated into a writable and executable mapping is rewritten
// and called again and again, as a JIT compiler would do it (write, flush the instruction cache
// with cacheflush, call). The second part generates a function that keeps a counter in its own
// page, so every call stores into the page it runs from.
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#include "mips_encoding.h"

static const uint32_t nop = 0;

typedef int (*function)(int, uint32_t*);

int main(void)
{
    uint32_t* code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        perror("mmap");
        return 1;
    }

    // f(x) = x + i, rewritten before every call.
    long sum = 0;
    for (int i = 0; i < 300; ++i) {
        code[0] = jr(ra);
        code[1] = addiu(v0, a0, i); // in the delay slot
        __builtin___clear_cache((char*)code, (char*)(code + 2));
        int result = ((function)code)(1000, code);
        if (result != 1000 + i) {
            printf("call %d returned %d\n", i, result);
            return 1;
        }
        sum += result;
    }
    printf("rewritten 300 times: sum %ld\n", sum);

    // g(x, page) = ++page[512] + x: the counter lives in the page of the code.
    code[0] = lw(t0, 2048, a1);
    code[1] = addiu(t0, t0, 1);
    code[2] = sw(t0, 2048, a1);
    code[3] = jr(ra);
    code[4] = addiu(v0, t0, 0);
    code[5] = nop;
    code[512] = 0;
    __builtin___clear_cache((char*)code, (char*)(code + 6));
    sum = 0;
    for (int i = 0; i < 500; ++i)
        sum += ((function)code)(0, code);
    printf("counter in the code's page: %u, sum %ld\n", code[512], sum);
    return munmap(code, 4096);
}
