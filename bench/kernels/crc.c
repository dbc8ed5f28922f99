// Table-driven CRC-32 and FNV-1a over a generated buffer, several passes.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv)
{
    long megabytes = argc > 1 ? atol(argv[1]) : 16;
    size_t length = 1 << 20;
    uint8_t* buffer = malloc(length);
    uint32_t state = 7;
    for (size_t index = 0; index < length; index++) {
        state = state * 1103515245u + 12345u;
        buffer[index] = (uint8_t)(state >> 16);
    }
    uint32_t table[256];
    for (uint32_t entry = 0; entry < 256; entry++) {
        uint32_t value = entry;
        for (int bit = 0; bit < 8; bit++)
            value = (value >> 1) ^ (0xEDB88320u & (0u - (value & 1)));
        table[entry] = value;
    }
    uint32_t crc = 0xFFFFFFFFu, fnv = 2166136261u;
    for (long pass = 0; pass < megabytes; pass++) {
        buffer[pass % length] ^= (uint8_t)pass;
        for (size_t index = 0; index < length; index++) {
            crc = table[(crc ^ buffer[index]) & 0xFF] ^ (crc >> 8);
            fnv = (fnv ^ buffer[index]) * 16777619u;
        }
    }
    printf("crc %ld MiB: crc32 %08x fnv1a %08x\n", megabytes, ~crc, fnv);
    return 0;
}
