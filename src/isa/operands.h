#pragma once

#include <cstdint>

namespace isomorph::isa {

// The operand fields of one instruction word, extracted once onto byte boundaries.
// The names follow the MIPS32 manual's field names; coprocessor formats reuse them:
// for COP1, fmt = rs, ft = rt, fs = rd, fd = sa; for COP1X, fr = rs.
struct Operands {
    uint8_t rs = 0; // bits 25:21
    uint8_t rt = 0; // bits 20:16
    uint8_t rd = 0; // bits 15:11
    uint8_t sa = 0; // bits 10:6
    int32_t imm = 0; // bits 15:0, sign-extended; zero-extend with (imm & 0xFFFF) where the manual says so
    uint32_t word = 0; // the whole word, for the rarely used fields (codes, the 26-bit jump index)

    static constexpr Operands from_word(uint32_t word)
    {
        Operands operands;
        operands.rs = static_cast<uint8_t>((word >> 21) & 31);
        operands.rt = static_cast<uint8_t>((word >> 16) & 31);
        operands.rd = static_cast<uint8_t>((word >> 11) & 31);
        operands.sa = static_cast<uint8_t>((word >> 6) & 31);
        operands.imm = static_cast<int16_t>(word & 0xFFFF);
        operands.word = word;
        return operands;
    }

    constexpr uint32_t unsigned_immediate() const { return static_cast<uint32_t>(imm) & 0xFFFF; }
    constexpr uint32_t jump_index() const { return word & 0x03FFFFFF; }
    // SYSCALL and BREAK: the 20-bit code in bits 25:6.
    constexpr uint32_t code20() const { return (word >> 6) & 0xFFFFF; }
    // Register-register traps: the 10-bit code in bits 15:6.
    constexpr uint32_t code10() const { return (word >> 6) & 0x3FF; }
    // FPU condition code in bits 20:18 (BC1T/BC1F, MOVF/MOVT) and in bits 10:8 (C.cond.fmt).
    constexpr unsigned cc_high() const { return (word >> 18) & 7; }
    constexpr unsigned cc_low() const { return (word >> 8) & 7; }
    // MFC0, MTC0, MFC2, MTC2: the register select in bits 2:0.
    constexpr unsigned sel() const { return word & 7; }
    // EXT: bits 15:11 hold msbd (size - 1) and bits 10:6 lsb (pos).
    constexpr unsigned msbd() const { return rd; }
    // INS: bits 15:11 hold msb (pos + size - 1) and bits 10:6 lsb (pos).
    constexpr unsigned msb() const { return rd; }
    constexpr unsigned lsb() const { return sa; }
};

} // namespace isomorph::isa
