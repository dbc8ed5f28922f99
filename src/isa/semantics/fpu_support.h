#pragma once

// What every coprocessor 1 instruction shares: the usability checks, register access in the
// current register mode, condition codes and the FCSR update after an arithmetic operation.
// The checks follow QEMU's MIPS target where the manual leaves the outcome unpredictable.

#include "cpu/fpu_arithmetic.h"
#include "isa/semantics/core.h"

#include <type_traits>

namespace isomorph::isa::semantics {

using cpu::fpu::Arithmetic;
using cpu::fpu::Double;
using cpu::fpu::Long;
using cpu::fpu::Rounding;
using cpu::fpu::Single;
using cpu::fpu::Word;

// FCSR condition code cc: FCC0 is bit 23, FCC1..FCC7 are bits 25..31.
constexpr unsigned condition_bit(unsigned cc) { return cc == 0 ? 23 : 24 + cc; }
inline bool fpu_condition(const cpu::FpuState& fpu, unsigned cc) { return (fpu.fcsr >> condition_bit(cc)) & 1; }
inline void set_fpu_condition(cpu::FpuState& fpu, unsigned cc, bool value)
{
    uint32_t bit = 1u << condition_bit(cc);
    fpu.fcsr = value ? fpu.fcsr | bit : fpu.fcsr & ~bit;
}

// Status.CU1 clear: every coprocessor 1 instruction is unusable.
template <class Core> inline void require_fpu(Core& c)
{
    if (!c.cpu.fpu.enabled)
        c.raise(ExitKind::CoprocessorUnusable, 0, 1);
}

// With FR = 0 a double lives in an even/odd pair; an arithmetic instruction naming an odd
// register for a double is a Reserved Instruction (registers is the OR of the register numbers).
template <class Core> inline void require_even_registers(Core& c, unsigned registers)
{
    if (!c.cpu.fpu.fr && (registers & 1))
        c.raise(ExitKind::ReservedInstruction);
}

// The L format, LUXC1 and SUXC1 need 64-bit registers (FR = 1).
template <class Core> inline void require_64_bit_registers(Core& c)
{
    if (!c.cpu.fpu.fr)
        c.raise(ExitKind::ReservedInstruction);
}

// Register n read or written in format F (Single, Double, Word or Long).
template <class F> constexpr bool is_doubleword_format = sizeof(typename F::Bits) == 8;

template <class F, class Core> inline typename F::Bits read_fpr(Core& c, unsigned n)
{
    if constexpr (is_doubleword_format<F>)
        return c.cpu.fpu.read_doubleword(n);
    else
        return c.cpu.fpu.read_word(n);
}

template <class F, class Core> inline void write_fpr(Core& c, unsigned n, typename F::Bits value)
{
    if constexpr (is_doubleword_format<F>)
        c.cpu.fpu.write_doubleword(n, value);
    else
        c.cpu.fpu.write_word(n, value);
}

// Ends an arithmetic instruction: FCSR.Cause is set to exactly the exceptions it raised. If one
// of them is enabled the instruction traps (the destination stays unwritten, Flags unchanged);
// otherwise they accumulate in Flags.
template <class Core> inline void update_fcsr(Core& c, const Arithmetic& arithmetic)
{
    namespace fcsr = cpu::fcsr;
    uint32_t exceptions = arithmetic.exceptions();
    uint32_t& value = c.cpu.fpu.fcsr;
    value = (value & ~fcsr::cause_mask) | (exceptions << fcsr::cause_shift);
    uint32_t enabled = ((value & fcsr::enables_mask) >> fcsr::enables_shift) | cpu::fpu::Unimplemented;
    if (exceptions & enabled)
        c.raise(ExitKind::FloatingPoint);
    value |= (exceptions << fcsr::flags_shift) & fcsr::flags_mask;
}

// fd = operation(fs, ft): ADD, SUB, MUL and DIV.
template <class F, class Core>
inline void binary_arithmetic(Core& c, const Operands& o,
                              typename F::Bits (Arithmetic::*operation)(typename F::Bits, typename F::Bits))
{
    require_fpu(c);
    if constexpr (std::is_same_v<F, Double>)
        require_even_registers(c, o.rd | o.rt | o.sa);
    Arithmetic arithmetic(c.cpu.fpu);
    typename F::Bits result = (arithmetic.*operation)(read_fpr<F>(c, o.rd), read_fpr<F>(c, o.rt));
    update_fcsr(c, arithmetic);
    write_fpr<F>(c, o.sa, result);
}

// fd = operation(fs): SQRT, RECIP and RSQRT.
template <class F, class Core, class Operation>
inline void unary_arithmetic(Core& c, const Operands& o, Operation operation)
{
    require_fpu(c);
    if constexpr (std::is_same_v<F, Double>)
        require_even_registers(c, o.rd | o.sa);
    Arithmetic arithmetic(c.cpu.fpu);
    typename F::Bits result = operation(arithmetic, read_fpr<F>(c, o.rd));
    update_fcsr(c, arithmetic);
    write_fpr<F>(c, o.sa, result);
}

} // namespace isomorph::isa::semantics
