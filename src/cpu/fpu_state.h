#pragma once

#include <array>
#include <cstdint>

namespace isomorph::cpu {

// The Floating Point Control and Status Register (FCSR, FCR31), Volume I-A (MD00082) §6.2.4:
//
//   31..25  FCC7..FCC1      condition codes
//   24      FS              flush tiny results to zero
//   23      FCC0
//   22..18  (read-only)     Impl, NAN2008, ABS2008: zero on a legacy-NaN 24Kf-class FPU
//   17..12  Cause   E V Z O U I
//   11..7   Enables   V Z O U I
//   6..2    Flags     V Z O U I
//   1..0    RM      rounding mode
//
// The V Z O U I fields hold the IEEE exceptions in the order of fpu::Exception below.
namespace fcsr {
constexpr unsigned rounding_mask = 0x3;
constexpr unsigned flags_shift = 2;
constexpr unsigned enables_shift = 7;
constexpr unsigned cause_shift = 12;
constexpr uint32_t flags_mask = 0x1Fu << flags_shift;
constexpr uint32_t enables_mask = 0x1Fu << enables_shift;
constexpr uint32_t cause_mask = 0x3Fu << cause_shift;
constexpr uint32_t flush_to_zero = 1u << 24;
// The bits CTC1 may change: everything but bits 22..18.
constexpr uint32_t writable_mask = 0xFF83FFFF;
} // namespace fcsr

namespace fpu {

// IEEE exceptions as they sit in each FCSR field, from bit 0 of the field.
enum Exception : uint32_t {
    Inexact = 1u << 0,
    Underflow = 1u << 1,
    Overflow = 1u << 2,
    DivideByZero = 1u << 3,
    Invalid = 1u << 4,
    Unimplemented = 1u << 5, // Cause only; it cannot be masked
};

// FCSR.RM.
enum class Rounding : uint8_t {
    Nearest = 0,
    TowardZero = 1,
    TowardPositive = 2,
    TowardNegative = 3,
};

} // namespace fpu

// Coprocessor 1 state. Registers are kept as 64-bit slots in both register modes:
// with Status.FR = 0 a single is the low word of its slot and a double spans the low words
// of an even/odd pair of slots; with FR = 1 every slot holds a whole double.
struct FpuState {
    std::array<uint64_t, 32> fpr{};
    uint32_t fcsr = 0;
    // FIR (FCR0) of a 24Kf-class FPU: F64, L, W, D and S implemented; processor ID and revision.
    uint32_t fir = 0x00739300;
    bool fr = false; // Status.FR: 64-bit floating-point registers
    bool enabled = true; // Status.CU1

    // A single or a word: the low word of register n in both modes. Writes keep the high word,
    // as QEMU does (the manual leaves it unpredictable with FR = 1).
    uint32_t read_word(unsigned n) const { return static_cast<uint32_t>(fpr[n]); }
    void write_word(unsigned n, uint32_t value) { fpr[n] = (fpr[n] & 0xFFFFFFFF00000000) | value; }

    // A double or a long. With FR = 0 it spans the low words of the pair n & ~1 (low half) and
    // n | 1 (high half); the instructions that name an odd register there are rejected before.
    uint64_t read_doubleword(unsigned n) const
    {
        if (fr)
            return fpr[n];
        return static_cast<uint32_t>(fpr[n & ~1u]) | (static_cast<uint64_t>(static_cast<uint32_t>(fpr[n | 1])) << 32);
    }
    void write_doubleword(unsigned n, uint64_t value)
    {
        if (fr) {
            fpr[n] = value;
            return;
        }
        write_word(n & ~1u, static_cast<uint32_t>(value));
        write_word(n | 1, static_cast<uint32_t>(value >> 32));
    }

    // The high half of a double (MFHC1, MTHC1): the high word of register n with FR = 1, the low
    // word of the odd register n | 1 with FR = 0.
    uint32_t read_high_word(unsigned n) const { return fr ? static_cast<uint32_t>(fpr[n] >> 32) : read_word(n | 1); }
    void write_high_word(unsigned n, uint32_t value)
    {
        if (fr)
            fpr[n] = (fpr[n] & 0xFFFFFFFF) | (static_cast<uint64_t>(value) << 32);
        else
            write_word(n | 1, value);
    }

    fpu::Rounding rounding() const { return static_cast<fpu::Rounding>(fcsr & fcsr::rounding_mask); }
    bool flush_to_zero() const { return (fcsr & fcsr::flush_to_zero) != 0; }
};

} // namespace isomorph::cpu
