// MIPS32 instruction words for guest programs that write their own code (self-modifying code,
// code in fresh pages), and the register numbers they use.
#pragma once

#include <stdint.h>

enum { zero = 0, v0 = 2, a0 = 4, a1 = 5, t0 = 8, ra = 31 };

// An I-type word: opcode, rs, rt and a 16-bit immediate.
static inline uint32_t i_type(unsigned opcode, unsigned rs, unsigned rt, int immediate)
{
    return (opcode << 26) | (rs << 21) | (rt << 16) | ((uint32_t)immediate & 0xFFFF);
}

static inline uint32_t addiu(unsigned rt, unsigned rs, int immediate) { return i_type(9, rs, rt, immediate); }
static inline uint32_t lw(unsigned rt, int offset, unsigned base) { return i_type(35, base, rt, offset); }
static inline uint32_t sw(unsigned rt, int offset, unsigned base) { return i_type(43, base, rt, offset); }
static inline uint32_t synci(int offset, unsigned base) { return i_type(1, base, 31, offset); }
static inline uint32_t jr(unsigned rs) { return (rs << 21) | 0x08; }
static inline uint32_t jr_hb(unsigned rs) { return (rs << 21) | (1u << 10) | 0x08; }
