#pragma once

// What instruction semantics may ask of the engine that runs them. Every engine provides a
// "core" type with these members; the semantics are templates over it, so the same few lines of
// each instruction are compiled into every engine.
//
//   cpu                        the CpuState (registers, HI/LO, FPU, ...)
//   pc()                       address of the instruction being executed
//   gpr(n), set_gpr(n, v)      general registers; writes to $0 are discarded
//   branch(target)             a taken branch or jump: the delay slot runs, then target
//   branch_not_taken()         a branch that falls through: the delay slot still runs
//   nullify_delay_slot()       a branch-likely that falls through: skip the delay slot
//   load<T>(a), store<T>(a, v) naturally aligned accesses (raise an address error otherwise)
//   load_linked(a), store_conditional(a, v)
//   raise(kind, address, code) stop with a guest exception; never returns
//   read_hardware_register(n)  RDHWR
//   synchronize_instruction_cache(a)   SYNCI: code at a may have changed

#include "cpu/exit.h"
#include "cpu/state.h"
#include "isa/operands.h"

#include <bit>
#include <cstdint>

namespace isomorph::isa::semantics {

using cpu::ExitKind;

template <class Core> inline void branch_if(Core& c, bool condition, uint32_t target)
{
    if (condition)
        c.branch(target);
    else
        c.branch_not_taken();
}

template <class Core> inline void branch_likely_if(Core& c, bool condition, uint32_t target)
{
    if (condition)
        c.branch(target);
    else
        c.nullify_delay_slot();
}

// Target of a PC-relative branch: the delay slot's address plus the shifted offset.
template <class Core> inline uint32_t branch_target(Core& c, const Operands& o)
{
    return c.pc() + 4 + (static_cast<uint32_t>(o.imm) << 2);
}

// Effective address of a base + offset access.
template <class Core> inline uint32_t effective_address(Core& c, const Operands& o)
{
    return c.gpr(o.rs) + static_cast<uint32_t>(o.imm);
}

inline uint32_t signed_as_unsigned(int32_t value) { return static_cast<uint32_t>(value); }
inline int32_t unsigned_as_signed(uint32_t value) { return static_cast<int32_t>(value); }

} // namespace isomorph::isa::semantics
