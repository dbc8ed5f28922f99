// Different code at a reused address: a mapping unmapped and mapped again, a W^X buffer switched
// between writable and executable with mprotect, and code read into an executable buffer by the
// kernel (read from a pipe). Each time the new code must run, not the old.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mips_encoding.h"

typedef int (*function)(int);

// Writes "return x + value" at code.
static void generate(uint32_t* code, int value)
{
    code[0] = jr(ra);
    code[1] = addiu(v0, a0, value);
}

static int call(uint32_t* code, int argument) { return ((function)code)(argument); }

int main(void)
{
    const int rwx = PROT_READ | PROT_WRITE | PROT_EXEC;
    const int flags = MAP_PRIVATE | MAP_ANONYMOUS;

    // Unmap and map again at the same address.
    uint32_t* code = mmap(NULL, 8192, rwx, flags, -1, 0);
    if (code == MAP_FAILED)
        return 1;
    for (int round = 1; round <= 3; ++round) {
        generate(code + 1024, 10 * round); // the second page
        __builtin___clear_cache((char*)(code + 1024), (char*)(code + 1026));
        printf("mapping %d: %d\n", round, call(code + 1024, 1));
        if (munmap(code, 8192) != 0)
            return 2;
        uint32_t* again = mmap(code, 8192, rwx, flags | MAP_FIXED, -1, 0);
        if (again != code)
            return 3;
    }

    // W^X: write while writable, run while executable.
    for (int round = 1; round <= 3; ++round) {
        if (mprotect(code, 4096, PROT_READ | PROT_WRITE) != 0)
            return 4;
        generate(code, 100 * round);
        if (mprotect(code, 4096, PROT_READ | PROT_EXEC) != 0)
            return 5;
        __builtin___clear_cache((char*)code, (char*)(code + 2));
        printf("W^X round %d: %d\n", round, call(code, 2));
    }

    // The kernel writes the code: read() from a pipe into the executable buffer.
    if (mprotect(code, 4096, rwx) != 0)
        return 6;
    for (int round = 1; round <= 3; ++round) {
        uint32_t words[2];
        generate(words, 1000 * round);
        int ends[2];
        if (pipe(ends) != 0 || write(ends[1], words, sizeof words) != sizeof words)
            return 7;
        if (read(ends[0], code, sizeof words) != sizeof words)
            return 8;
        close(ends[0]);
        close(ends[1]);
        __builtin___clear_cache((char*)code, (char*)(code + 2));
        printf("read round %d: %d\n", round, call(code, 3));
    }
    return munmap(code, 8192);
}
