#pragma once

// Semantics of the coprocessor 1 instructions (isa/fpu.inc), and the integer instructions that
// read FPU condition codes (MOVF, MOVT).

#include "isa/semantics/core.h"

namespace isomorph::isa::semantics {

// FCSR condition code cc: FCC0 is bit 23, FCC1..FCC7 are bits 25..31.
constexpr unsigned condition_bit(unsigned cc) { return cc == 0 ? 23 : 24 + cc; }
inline bool fpu_condition(const cpu::FpuState& fpu, unsigned cc) { return (fpu.fcsr >> condition_bit(cc)) & 1; }

template <class Core> inline void require_fpu(Core& c)
{
    if (!c.cpu.fpu.enabled)
        c.raise(ExitKind::CoprocessorUnusable, 0, 1);
}

// movf rd, rs, cc
template <class Core> void MOVF(Core& c, const Operands& o)
{
    require_fpu(c);
    if (!fpu_condition(c.cpu.fpu, o.cc_high()))
        c.set_gpr(o.rd, c.gpr(o.rs));
}
// movt rd, rs, cc
template <class Core> void MOVT(Core& c, const Operands& o)
{
    require_fpu(c);
    if (fpu_condition(c.cpu.fpu, o.cc_high()))
        c.set_gpr(o.rd, c.gpr(o.rs));
}

} // namespace isomorph::isa::semantics
