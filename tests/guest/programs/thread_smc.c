// Self-modifying code under threads: the main thread rewrites a function that another thread is
// calling in a loop. After the writer has flushed the instruction cache (cacheflush) and published
// the new generation, a thread that sees the generation must run the new code, never the old.
// CFLAGS: -pthread
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#include "mips_encoding.h"

enum { generations = 200 };

typedef int (*function)(int);

static uint32_t* code;
static int generation;    // published by the writer after the code is in place
static int acknowledged;  // the last generation the caller ran
static int stale_results; // calls that returned an older generation than the one seen
static long calls;

static void* caller(void* argument)
{
    (void)argument;
    for (;;) {
        int seen = __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
        if (seen < 0)
            return NULL;
        int result = ((function)code)(0);
        ++calls;
        if (result < seen)
            ++stale_results;
        if (result == seen)
            __atomic_store_n(&acknowledged, seen, __ATOMIC_RELEASE);
    }
}

static void write_function(int value)
{
    code[1] = addiu(v0, a0, value); // the delay slot of jr ra: return x + value
    __builtin___clear_cache((char*)code, (char*)(code + 2));
}

int main(void)
{
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED)
        return 1;
    code[0] = jr(ra);
    write_function(0);
    pthread_t thread;
    pthread_create(&thread, NULL, caller, NULL);
    for (int next = 1; next <= generations; ++next) {
        while (__atomic_load_n(&acknowledged, __ATOMIC_ACQUIRE) != next - 1)
            ;
        write_function(next);
        __atomic_store_n(&generation, next, __ATOMIC_RELEASE);
    }
    while (__atomic_load_n(&acknowledged, __ATOMIC_ACQUIRE) != generations)
        ;
    __atomic_store_n(&generation, -1, __ATOMIC_RELEASE);
    pthread_join(thread, NULL);
    printf("%d generations of code run by another thread, stale results: %d, calls made: %s\n", generations,
           stale_results, calls >= generations ? "enough" : "too few");
    return 0;
}
