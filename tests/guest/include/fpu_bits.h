// Helpers shared by the FPU guest programs: FCSR access and the bit patterns of floating-point
// values, so that results can be printed as hex bits and any difference from qemu-mipsel shows.
#pragma once

#include <stdint.h>
#include <string.h>

static inline uint32_t fcsr_read(void)
{
    uint32_t value;
    __asm__ volatile("cfc1 %0, $31" : "=r"(value));
    return value;
}
static inline void fcsr_write(uint32_t value) { __asm__ volatile("ctc1 %0, $31" : : "r"(value)); }

static inline float single_of(uint32_t bits)
{
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}
static inline uint32_t bits_of_single(float value)
{
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    return bits;
}
static inline double double_of(uint64_t bits)
{
    double value;
    memcpy(&value, &bits, sizeof value);
    return value;
}
static inline uint64_t bits_of_double(double value)
{
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    return bits;
}
