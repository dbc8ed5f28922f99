#pragma once

// Helpers: the slow path of translated code. An instruction without a native fast path is
// translated into a call of its row's helper, which runs the shared semantic template
// (isa/semantics) on a JitCore. Nothing here says what an instruction does.

#include "engines/jit/block.h"
#include "engines/jit/delay_slot.h"
#include "engines/user_core.h"
#include "isa/instruction.h"

#include <cstdint>

namespace isomorph::engines::jit {

// Why the engine's recovery point was reached through jump_to_recovery_point(): a helper raised
// an exception (JitCore::raise). Any other reason is a host fault in translated code.
inline constexpr int raised = 1;

// The core that semantics run against when translated code calls a helper. The generated code
// has stored pc, next_pc and delay_slot in the CpuState before the call, so a raise() leaves the
// state exactly as the reference interpreter leaves it. Control flow is reported back to the
// generated code as a BranchOutcome instead of being committed.
class JitCore final : public UserCoreBase<JitCore> {
public:
    JitCore(JitContext& context, uint32_t pc)
        : UserCoreBase(*context.cpu, *context.memory, context.host_base), m_context(context), m_pc(pc)
    {
    }

    uint32_t pc() const { return m_pc; }
    void branch(uint32_t) { m_outcome = BranchOutcome::Taken; }
    void branch_not_taken() { m_outcome = BranchOutcome::NotTaken; }
    void nullify_delay_slot() { m_outcome = BranchOutcome::Nullified; }

    [[noreturn]] void raise(ExitKind kind, uint32_t address = 0, uint32_t code = 0)
    {
        complete_delay_slot_state(memory, cpu, *m_context.block); // if only pc was stored
        m_context.exit = cpu::Exit{kind, m_pc, address, code, cpu.delay_slot};
        memory::jump_to_recovery_point(raised);
    }

    uint64_t instructions_retired() const { return m_context.retired(m_pc); }

    BranchOutcome outcome() const { return m_outcome; }

private:
    JitContext& m_context;
    uint32_t m_pc;
    BranchOutcome m_outcome = BranchOutcome::NotTaken;
};

// Called by translated code when the native access of fault site site_index of the running block
// is misaligned, with the register cache's host registers in context->saved_registers: makes the
// state the instruction's (as a host fault at a fault site does) and runs its helper, which raises
// the address error. Never returns.
[[noreturn]] void raise_misaligned(JitContext* context, uint32_t site_index);

// A helper runs one instruction (the word at pc) and returns a BranchOutcome for branches.
using Helper = uint32_t (*)(JitContext* context, uint32_t word, uint32_t pc);

// The helper of each row, and of Opcode::Reserved (which raises Reserved Instruction).
Helper helper_for(isa::Opcode opcode);

} // namespace isomorph::engines::jit
