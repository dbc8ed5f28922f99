#pragma once

// IEEE 754 arithmetic of the MIPS32 FPU on raw register bits, as QEMU's MIPS target computes it
// with a legacy-NaN (pre-2008) FPU:
//
// - A NaN whose most significant fraction bit is set is signalling; one with that bit clear is
//   quiet. Every NaN an operation produces is the default NaN (0x7FBFFFFF, 0x7FF7FFFFFFFFFFFF):
//   operand NaNs are not propagated. A signalling NaN operand raises Invalid.
// - Conversions to W and L of a NaN or of a value out of range give 0x7FFFFFFF or
//   0x7FFFFFFFFFFFFFFF and raise Invalid alone.
// - Tininess is detected after rounding, and Underflow is raised only with Inexact.
// - With FCSR.FS, a result whose exact value is tiny (below the smallest normal before rounding)
//   becomes a zero of its sign and raises nothing.
//
// Finite non-NaN arithmetic runs on the host's SSE unit under the guest's rounding mode, which
// gives the same IEEE results and flags; NaNs and conversions to integers are handled here.
//
// The host's MXCSR. Loading it is slow, so an engine that runs guest code holds a GuestModeScope
// for the whole run: it loads round to nearest with every exception masked once and gives the
// host its own MXCSR back at the end. Between instructions MXCSR keeps those control bits, so
// that translated code may compute a guest's round-to-nearest operations without touching MXCSR
// (engines/jit/emit_fpu.cpp); it may leave flags set. An operation reads MXCSR before it runs and
// loads its own mode only if MXCSR differs from it (the guest chose another rounding mode, an
// instruction rounds its own way, or flags are set); afterwards it reads the flags it raised and
// loads the scope's mode again if the flags or the rounding mode differ from it. Outside a scope
// (tests, tools) each operation saves, sets and restores MXCSR itself.

#include "cpu/fpu_state.h"

#include <cstdint>

namespace isomorph::cpu::fpu {

// The formats of the manual's fmt field.
struct Single {
    using Bits = uint32_t;
    static constexpr Bits sign_bit = 0x80000000u;
    static constexpr Bits exponent_mask = 0x7F800000u;
    static constexpr Bits fraction_mask = 0x007FFFFFu;
    static constexpr Bits most_significant_fraction_bit = 0x00400000u;
    static constexpr Bits default_nan = 0x7FBFFFFFu;
    static constexpr Bits smallest_normal = 0x00800000u;
    static constexpr Bits one = 0x3F800000u;
};

struct Double {
    using Bits = uint64_t;
    static constexpr Bits sign_bit = 0x8000000000000000u;
    static constexpr Bits exponent_mask = 0x7FF0000000000000u;
    static constexpr Bits fraction_mask = 0x000FFFFFFFFFFFFFu;
    static constexpr Bits most_significant_fraction_bit = 0x0008000000000000u;
    static constexpr Bits default_nan = 0x7FF7FFFFFFFFFFFFu;
    static constexpr Bits smallest_normal = 0x0010000000000000u;
    static constexpr Bits one = 0x3FF0000000000000u;
};

struct Word {
    using Bits = uint32_t;
    static constexpr Bits overflow = 0x7FFFFFFFu; // the result of an invalid conversion
};

struct Long {
    using Bits = uint64_t;
    static constexpr Bits overflow = 0x7FFFFFFFFFFFFFFFu;
};

template <class F> constexpr bool is_nan(typename F::Bits value)
{
    return (value & F::exponent_mask) == F::exponent_mask && (value & F::fraction_mask) != 0;
}

// The legacy encoding: the most significant fraction bit set marks a signalling NaN.
template <class F> constexpr bool is_signalling_nan(typename F::Bits value)
{
    return is_nan<F>(value) && (value & F::most_significant_fraction_bit) != 0;
}

template <class F> constexpr typename F::Bits negate(typename F::Bits value) { return value ^ F::sign_bit; }
template <class F> constexpr typename F::Bits absolute(typename F::Bits value) { return value & ~F::sign_bit; }

// C.cond.fmt condition bits (the low four bits of the function field).
enum Condition : unsigned {
    ConditionUnordered = 1u << 0,
    ConditionEqual = 1u << 1,
    ConditionLess = 1u << 2,
    ConditionSignalling = 1u << 3, // Invalid is raised by quiet NaNs too
};

// The guest's floating-point mode on the host, for one engine run on this thread. Scopes nest
// (an engine that runs another engine inside); each restores what it found.
class GuestModeScope {
public:
    GuestModeScope();
    ~GuestModeScope();
    GuestModeScope(const GuestModeScope&) = delete;
    GuestModeScope& operator=(const GuestModeScope&) = delete;

private:
    uint32_t m_saved_mxcsr;
};

// One instruction's computation. It accumulates the IEEE exceptions its steps raise; the
// caller copies them into FCSR.Cause (and Flags, or traps) once the instruction is complete.
class Arithmetic {
public:
    Arithmetic(Rounding rounding, bool flush_to_zero) : m_rounding(rounding), m_flush_to_zero(flush_to_zero) {}
    explicit Arithmetic(const FpuState& fpu) : Arithmetic(fpu.rounding(), fpu.flush_to_zero()) {}

    template <class F> typename F::Bits add(typename F::Bits fs, typename F::Bits ft);
    template <class F> typename F::Bits subtract(typename F::Bits fs, typename F::Bits ft);
    template <class F> typename F::Bits multiply(typename F::Bits fs, typename F::Bits ft);
    template <class F> typename F::Bits divide(typename F::Bits fs, typename F::Bits ft);
    template <class F> typename F::Bits square_root(typename F::Bits fs);

    // F = Single or Double; I = Word or Long.
    template <class F, class I> typename F::Bits convert_from_integer(typename I::Bits fs);
    template <class I, class F> typename I::Bits convert_to_integer(typename F::Bits fs, Rounding rounding);
    uint64_t convert_single_to_double(uint32_t fs);
    uint32_t convert_double_to_single(uint64_t fs);

    // C.cond.fmt: whether the condition holds.
    template <class F> bool compare(typename F::Bits fs, typename F::Bits ft, unsigned condition);

    uint32_t exceptions() const { return m_exceptions; }
    Rounding rounding() const { return m_rounding; }

private:
    template <class F, class Operation> typename F::Bits round(Operation operation);
    template <class F> bool take_nan_operands(typename F::Bits a, typename F::Bits b);
    template <class F, class Operation>
    typename F::Bits binary(typename F::Bits fs, typename F::Bits ft, Operation operation);

    Rounding m_rounding;
    bool m_flush_to_zero;
    uint32_t m_exceptions = 0;
};

} // namespace isomorph::cpu::fpu
