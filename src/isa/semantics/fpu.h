#pragma once

// Semantics of the coprocessor 1 instructions (isa/fpu.inc), and the integer instructions that
// read FPU condition codes (MOVF, MOVT). The rows' bodies live in:
//   fpu_transfer.h  loads and stores, moves to and from the FPU, branches, MOV and conditional moves
//   fpu_compute.h   arithmetic, conversions, comparisons, multiply-add
// with the shared checks and the FCSR update in fpu_support.h.

#include "isa/semantics/fpu_compute.h"
#include "isa/semantics/fpu_support.h"
#include "isa/semantics/fpu_transfer.h"

namespace isomorph::isa::semantics {

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
