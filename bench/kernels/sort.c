// Integer sort: a hand-written quicksort over pseudo-random 32-bit keys. Prints a checksum of
// the sorted array, so a wrong result cannot pass as a fast one.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void quicksort(uint32_t* keys, long low, long high)
{
    while (low < high) {
        uint32_t pivot = keys[low + (high - low) / 2];
        long left = low, right = high;
        while (left <= right) {
            while (keys[left] < pivot) left++;
            while (keys[right] > pivot) right--;
            if (left <= right) {
                uint32_t swap = keys[left];
                keys[left++] = keys[right];
                keys[right--] = swap;
            }
        }
        if (right - low < high - left) {
            quicksort(keys, low, right);
            low = left;
        } else {
            quicksort(keys, left, high);
            high = right;
        }
    }
}

int main(int argc, char** argv)
{
    long count = argc > 1 ? atol(argv[1]) : 1000000;
    uint32_t* keys = malloc(sizeof *keys * (size_t)count);
    uint32_t state = 12345;
    for (long index = 0; index < count; index++) {
        state = state * 1664525u + 1013904223u;
        keys[index] = state ^ (state >> 13);
    }
    quicksort(keys, 0, count - 1);
    uint32_t checksum = 0;
    for (long index = 0; index < count; index++) {
        if (index > 0 && keys[index - 1] > keys[index]) {
            printf("not sorted at %ld\n", index);
            return 1;
        }
        checksum = checksum * 31 + keys[index];
    }
    printf("sort %ld keys: checksum %08x\n", count, checksum);
    return 0;
}
