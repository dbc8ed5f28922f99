// Integer compute for the threaded interpreter's micro benchmark: a sieve of Eratosthenes,
// FNV-1a hashing and a recursive function, with a checksum printed at the end so that a fast
// wrong answer shows. Usage: primes_hash [ROUNDS]
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT 200000

static uint8_t composite[LIMIT + 1];

static unsigned sieve(void)
{
    memset(composite, 0, sizeof composite);
    unsigned count = 0;
    for (unsigned n = 2; n <= LIMIT; ++n) {
        if (composite[n])
            continue;
        ++count;
        for (unsigned multiple = 2 * n; multiple <= LIMIT; multiple += n)
            composite[multiple] = 1;
    }
    return count;
}

static uint32_t fnv1a(const uint8_t* data, unsigned length, uint32_t hash)
{
    for (unsigned index = 0; index < length; ++index) {
        hash ^= data[index];
        hash *= 16777619u;
    }
    return hash;
}

static unsigned fibonacci(unsigned n) { return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2); }

int main(int argc, char** argv)
{
    unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 10;
    uint32_t checksum = 2166136261u;
    for (unsigned round = 0; round < rounds; ++round) {
        checksum += sieve();
        checksum = fnv1a(composite, sizeof composite, checksum);
        checksum += fibonacci(20 + round % 3);
    }
    printf("primes_hash rounds=%u checksum=%08x\n", rounds, (unsigned)checksum);
    return 0;
}
