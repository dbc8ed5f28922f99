// Integer compute for the threaded interpreter's micro benchmark: a quicksort of pseudo-random
// keys and an integer matrix product, with a checksum printed at the end so that a fast wrong
// answer shows. Usage: sort_matrix [ROUNDS]
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define KEYS 60000
#define SIZE 64

static uint32_t keys[KEYS];
static int32_t a[SIZE][SIZE], b[SIZE][SIZE], c[SIZE][SIZE];

static uint32_t state = 12345;
static uint32_t next_random(void)
{
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

static void quicksort(uint32_t* items, int low, int high)
{
    while (low < high) {
        uint32_t pivot = items[(low + high) / 2];
        int i = low, j = high;
        while (i <= j) {
            while (items[i] < pivot)
                ++i;
            while (items[j] > pivot)
                --j;
            if (i <= j) {
                uint32_t swap = items[i];
                items[i++] = items[j];
                items[j--] = swap;
            }
        }
        if (j - low < high - i) {
            quicksort(items, low, j);
            low = i;
        } else {
            quicksort(items, i, high);
            high = j;
        }
    }
}

static uint32_t multiply(void)
{
    for (int i = 0; i < SIZE; ++i)
        for (int j = 0; j < SIZE; ++j) {
            int32_t sum = 0;
            for (int k = 0; k < SIZE; ++k)
                sum += a[i][k] * b[k][j];
            c[i][j] = sum;
        }
    uint32_t checksum = 0;
    for (int i = 0; i < SIZE; ++i)
        for (int j = 0; j < SIZE; ++j)
            checksum = checksum * 31 + (uint32_t)c[i][j];
    return checksum;
}

int main(int argc, char** argv)
{
    unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 6;
    uint32_t checksum = 0;
    for (unsigned round = 0; round < rounds; ++round) {
        for (int index = 0; index < KEYS; ++index)
            keys[index] = next_random();
        quicksort(keys, 0, KEYS - 1);
        for (int index = 1; index < KEYS; ++index)
            if (keys[index - 1] > keys[index])
                return 1;
        checksum += keys[KEYS / 2];
        for (int i = 0; i < SIZE; ++i)
            for (int j = 0; j < SIZE; ++j) {
                a[i][j] = (int32_t)(next_random() & 0xFF) - 128;
                b[i][j] = (int32_t)(next_random() & 0xFF) - 128;
            }
        checksum ^= multiply();
    }
    printf("sort_matrix rounds=%u checksum=%08x\n", rounds, (unsigned)checksum);
    return 0;
}
