#pragma once

// What instruction semantics may ask of the engine that runs them. Every engine provides a
// "core" type with these members; the semantics are templates over it, so the same few lines of
// each instruction are compiled into every engine.
//
//   cpu                        the CpuState (registers, HI/LO, FPU, ...); cpu.delay_slot tells
//                              whether the instruction being executed sits in a delay slot
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
//
// A core that models coprocessor 0 (a system-mode core) also provides
//
//   privileged(opcode, operands)   run a CP0 instruction (MFC0, MTC0, TLBWI, ERET, CACHE, ...),
//                                  raising Coprocessor Unusable itself outside kernel mode
//
// A core without it is a user-mode core: every privileged instruction raises Coprocessor
// Unusable for coprocessor 0, as it does in user mode on the hardware.

#include "cpu/exit.h"
#include "cpu/state.h"
#include "isa/instruction.h"
#include "isa/operands.h"

#include <bit>
#include <cstdint>

namespace isomorph::isa::semantics {

using cpu::ExitKind;

// A branch or jump in the delay slot of another is UNPREDICTABLE (Volume II-A, "Branch delay
// slot"); like qemu-mipsel we raise Reserved Instruction before the second one changes anything.
// cpu.delay_slot describes the instruction being executed (see cpu/state.h).
template <class Core> inline void reject_in_delay_slot(Core& c)
{
    if (c.cpu.delay_slot)
        c.raise(ExitKind::ReservedInstruction);
}

// An unconditional jump to target, after the delay slot.
template <class Core> inline void jump(Core& c, uint32_t target)
{
    reject_in_delay_slot(c);
    c.branch(target);
}

template <class Core> inline void branch_if(Core& c, bool condition, uint32_t target)
{
    reject_in_delay_slot(c);
    if (condition)
        c.branch(target);
    else
        c.branch_not_taken();
}

// Branch-likely: when not taken the delay slot is nullified (not executed).
template <class Core> inline void branch_likely_if(Core& c, bool condition, uint32_t target)
{
    reject_in_delay_slot(c);
    if (condition)
        c.branch(target);
    else
        c.nullify_delay_slot();
}

// The "and link" forms write the return address (the instruction after the delay slot) to $31
// whether or not they branch. The condition is evaluated before the link is written.
template <class Core> inline void branch_and_link_if(Core& c, bool condition, uint32_t target)
{
    reject_in_delay_slot(c);
    c.set_gpr(31, c.pc() + 8);
    if (condition)
        c.branch(target);
    else
        c.branch_not_taken();
}

template <class Core> inline void branch_likely_and_link_if(Core& c, bool condition, uint32_t target)
{
    reject_in_delay_slot(c);
    c.set_gpr(31, c.pc() + 8);
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

// Runs a coprocessor 0 instruction on a core that models CP0; see the interface above.
template <class Core> inline void coprocessor0(Core& c, Opcode opcode, const Operands& o)
{
    if constexpr (requires { c.privileged(opcode, o); })
        c.privileged(opcode, o);
    else
        c.raise(ExitKind::CoprocessorUnusable, 0, 0);
}

inline uint32_t signed_as_unsigned(int32_t value) { return static_cast<uint32_t>(value); }
inline int32_t unsigned_as_signed(uint32_t value) { return static_cast<int32_t>(value); }

} // namespace isomorph::isa::semantics
