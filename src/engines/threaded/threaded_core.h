#pragma once

// The threaded interpreter's core (see isa/semantics/core.h) and the per-thread context its
// dispatch loop keeps in memory.
//
// Two program counters: the dispatch loop runs on a pointer into a page's decoded instructions;
// the guest PC is not stored per instruction but follows from it (every entry knows its address).
// The CpuState's pc, next_pc and instructions_retired are brought up to date ("materialized")
// whenever control leaves the decoded code: a guest exception, a host fault on guest memory, a
// return to the engine's run loop. cpu.delay_slot is kept current all the time, because the
// semantics read it: it is set while a delay-slot instruction runs and cleared after it.

#include "cpu/exit.h"
#include "cpu/state.h"
#include "engines/threaded/decoded.h"
#include "engines/user_core.h"

#include <cstdint>

namespace isomorph::engines::threaded {

class ThreadCache;

struct DispatchContext {
    cpu::CpuState* cpu = nullptr;
    memory::AddressSpace* memory = nullptr;
    ThreadCache* cache = nullptr;

    // The instruction being executed: written before each instruction runs, read when it raises or
    // faults.
    const DecodedInstruction* current = nullptr;
    // Instructions run straight through the decoded array between control transfers; a "run"
    // starts at run_start, and the instructions retired before it are retired_at_run_start. While
    // the instruction at current executes, current - run_start instructions of the run have retired.
    const DecodedInstruction* run_start = nullptr;
    uint64_t retired_at_run_start = 0;
    // instructions_retired must not pass this; runs are only entered with room for a whole page.
    uint64_t limit = 0;
    // Where execution continues after the delay slot being executed (cpu.delay_slot set).
    uint32_t after_delay_slot = 0;
    // Whether decoded code is running (the fields above describe it) or the engine's run loop.
    bool dispatching = false;

    cpu::Exit exit;

    uint64_t retired_before_current() const { return retired_at_run_start + static_cast<uint64_t>(current - run_start); }

    // Makes the CpuState describe the moment before current executes.
    void materialize_current()
    {
        cpu->pc = current->pc;
        cpu->next_pc = cpu->delay_slot ? after_delay_slot : current->pc + 4;
        cpu->instructions_retired = retired_before_current();
    }
};

// Why raise() unwound: the value passed to the recovery point.
constexpr int raised = 1;

// Materializes the state of the instruction that raised, records the exit and unwinds to the
// engine's recovery point.
[[noreturn]] void raise_from_decoded_code(DispatchContext& context, cpu::ExitKind kind, uint32_t address, uint32_t code);

enum class BranchOutcome : uint8_t { None, Taken, NotTaken, Nullified };

// One per call of the dispatch function, shared by all handlers: the instruction being executed
// is context.current, which every handler sets anyway (a core per handler, left to the compiler
// to keep in registers, ended up rebuilt in memory for every instruction).
class ThreadedCore final : public UserCoreBase<ThreadedCore> {
public:
    ThreadedCore(DispatchContext& context, cpu::CpuState& state, memory::AddressSpace& space, uint8_t* host_base)
        : UserCoreBase(state, space, host_base), m_context(&context)
    {
    }

    uint32_t pc() const { return m_context->current->pc; }

    void branch(uint32_t target)
    {
        m_outcome = BranchOutcome::Taken;
        m_target = target;
    }
    void branch_not_taken() { m_outcome = BranchOutcome::NotTaken; }
    void nullify_delay_slot() { m_outcome = BranchOutcome::Nullified; }

    [[noreturn]] void raise(ExitKind kind, uint32_t address = 0, uint32_t code = 0)
    {
        raise_from_decoded_code(*m_context, kind, address, code);
    }

    uint64_t instructions_retired() const { return m_context->retired_before_current(); }

    // What the branch just executed decided.
    void clear_outcome() { m_outcome = BranchOutcome::None; }
    BranchOutcome outcome() const { return m_outcome; }
    uint32_t target() const { return m_target; }

private:
    DispatchContext* m_context;
    BranchOutcome m_outcome = BranchOutcome::None;
    uint32_t m_target = 0;
};

} // namespace isomorph::engines::threaded
