// Threads managing memory at once: several threads map, fill, protect, check and unmap regions
// concurrently, and grow the heap with malloc; every region must hold what its thread wrote.
// CFLAGS: -pthread
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum { threads = 6, rounds = 150 };

static void* churn(void* argument)
{
    int index = (int)(intptr_t)argument;
    long errors = 0;
    for (int round = 0; round < rounds; ++round) {
        size_t pages = 1 + (size_t)((index * 7 + round) % 16);
        size_t length = pages * 4096;
        unsigned char* region = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (region == MAP_FAILED)
            return (void*)-1L;
        unsigned char value = (unsigned char)(index * 31 + round);
        memset(region, value, length);
        if (pages > 2 && mprotect(region + 4096, 4096, PROT_READ) != 0)
            ++errors;
        char* block = malloc(100 + (size_t)round * 10);
        memset(block, value, 100);
        for (size_t i = 0; i < length; i += 512)
            errors += region[i] != value;
        errors += block[99] != (char)value;
        free(block);
        if (munmap(region, length) != 0)
            ++errors;
    }
    return (void*)errors;
}

int main(void)
{
    pthread_t workers[threads];
    for (int i = 0; i < threads; ++i)
        pthread_create(&workers[i], NULL, churn, (void*)(intptr_t)i);
    long errors = 0;
    for (int i = 0; i < threads; ++i) {
        void* result;
        pthread_join(workers[i], &result);
        errors += (long)result;
    }
    printf("%d threads x %d rounds of mmap, mprotect, malloc and munmap: %ld errors\n", threads, rounds, errors);
    return errors != 0;
}
