// The threaded interpreter's dispatch function. Direct threading with GCC's labels as values:
// every row of the instruction table (isa/instructions.inc) gets two labels, generated below,
//
//   normal_NAME      the instruction as it usually runs, and
//   delay_NAME       the instruction in a branch delay slot,
//
// each of which runs the row's semantics (isa/semantics/) on a ThreadedCore and jumps straight to
// the handler of the decoded instruction that follows. There is no central switch and no decoding
// here: the handler address and the operands were stored in the decoded instruction when its page
// was first run (code_cache.cpp).
//
// Branches: a branch's handler runs its semantics, which report taken, not taken or nullified;
// it then sets cpu.delay_slot and jumps to the delay_ label of the next entry's opcode, and that
// handler continues at the branch target. Targets in the same page are found through the
// decoded instruction's target offset, others through the thread's page table.

#include "engines/threaded/code_cache.h"
#include "engines/threaded/dispatch.h"
#include "isa/semantics.h"

#include <atomic>

namespace isomorph::engines::threaded {

namespace {

constexpr bool is_branch(isa::Opcode opcode) { return isa::info(opcode).has(isa::Branch); }
constexpr bool is_store(isa::Opcode opcode) { return isa::info(opcode).has(isa::Store); }

HandlerTable exported_handlers;

} // namespace

DispatchResult dispatch(DispatchContext& context, DecodedInstruction* ip)
{
    static const void* const normal_handlers[] = {
#define INSTRUCTION(name, mnemonic, pattern, syntax, flags) &&normal_##name,
#include "isa/instructions.inc"
#undef INSTRUCTION
        &&normal_Reserved,
    };
    static const void* const delay_slot_handlers[] = {
#define INSTRUCTION(name, mnemonic, pattern, syntax, flags) &&delay_##name,
#include "isa/instructions.inc"
#undef INSTRUCTION
        &&delay_Reserved,
    };
    static const void* const pair_handlers[] = {
#define SUPERINSTRUCTION(first, second) &&pair_##first##_##second,
#include "engines/threaded/superinstructions.inc"
#undef SUPERINSTRUCTION
    };
    static constexpr isa::Opcode pair_opcodes[][2] = {
#define SUPERINSTRUCTION(first, second) {isa::Opcode::first, isa::Opcode::second},
#include "engines/threaded/superinstructions.inc"
#undef SUPERINSTRUCTION
    };
    static_assert(std::size(pair_handlers) == HandlerTable::pair_count);
    static_assert(std::size(normal_handlers) == isa::instruction_count + 1);
    static_assert(std::size(delay_slot_handlers) == isa::instruction_count + 1);

    // Called once without an entry to publish the label addresses.
    if (ip == nullptr) {
        for (unsigned index = 0; index <= isa::instruction_count; ++index)
            exported_handlers.normal[index] = normal_handlers[index];
        exported_handlers.stale = &&stale;
        exported_handlers.page_end = &&page_end;
        exported_handlers.step_slowly = &&step_slowly;
        for (size_t index = 0; index < HandlerTable::pair_count; ++index)
            exported_handlers.pairs[index] = {pair_opcodes[index][0], pair_opcodes[index][1], pair_handlers[index]};
        return DispatchResult::Resume;
    }

    namespace semantics = isa::semantics;
    cpu::CpuState& cpu = *context.cpu;
    memory::AddressSpace& memory = *context.memory;
    uint8_t* const host_base = memory.host_base();
    ThreadCache& cache = *context.cache;
    ThreadedCore core(context, cpu, memory, host_base);
    // The entry that follows the delay slot being executed, when already known.
    DecodedInstruction* after = nullptr;

// Jumps to the handler of the decoded instruction at ip.
#define DISPATCH() goto* ip->load_handler()

// Leaves the decoded code with the state of the moment before ip executes.
#define LEAVE_AT_IP(result)                                                                                  \
    do {                                                                                                     \
        context.current = ip;                                                                                \
        context.materialize_current();                                                                       \
        return result;                                                                                       \
    } while (0)

// The run ends after the instruction at last; the next one starts at next (a control transfer).
// Between runs the dispatch loop checks that the next run fits in what is left of the budget.
#define BREAK_RUN(last, next)                                                                                \
    do {                                                                                                     \
        context.retired_at_run_start += static_cast<uint64_t>((last) + 1 - context.run_start);               \
        context.run_start = (next);                                                                          \
    } while (0)
#define CHECK_BUDGET()                                                                                       \
    do {                                                                                                     \
        if (context.limit - context.retired_at_run_start < ip->run_length)                                   \
            LEAVE_AT_IP(DispatchResult::Resume);                                                             \
    } while (0)

// A guest store may have dropped decoded code, rewriting handlers behind the compiler's back (in
// the SIGSEGV handler): read the next handler only after it.
#define AFTER_SEMANTICS(name)                                                                                \
    if constexpr (is_store(isa::Opcode::name))                                                               \
        std::atomic_signal_fence(std::memory_order_seq_cst);

    DISPATCH();

// After a branch's semantics: pick where execution continues after the delay slot, then run the
// delay slot through its delay_ handler.
#define BRANCH_EPILOGUE(core)                                                                                \
    switch (core.outcome()) {                                                                                \
    case BranchOutcome::Taken: {                                                                             \
        uint32_t target = core.target();                                                                     \
        context.after_delay_slot = target;                                                                   \
        if (ip->target != DecodedInstruction::no_target && ip[ip->target].pc == target)                      \
            after = ip + ip->target;                                                                         \
        else                                                                                                 \
            after = cache.find(target);                                                                      \
        break;                                                                                               \
    }                                                                                                        \
    case BranchOutcome::NotTaken:                                                                            \
        context.after_delay_slot = ip->pc + 8;                                                               \
        after = ip + 2;                                                                                      \
        break;                                                                                               \
    case BranchOutcome::Nullified:                                                                           \
        BREAK_RUN(ip, ip + 2);                                                                               \
        ip += 2;                                                                                             \
        CHECK_BUDGET();                                                                                      \
        DISPATCH();                                                                                          \
    case BranchOutcome::None: /* no decision (the reference treats it as a plain instruction) */            \
        BREAK_RUN(ip, ip + 1);                                                                               \
        ++ip;                                                                                                \
        CHECK_BUDGET();                                                                                      \
        DISPATCH();                                                                                          \
    }                                                                                                        \
    cpu.delay_slot = true;                                                                                   \
    ++ip;                                                                                                    \
    goto* delay_slot_handlers[static_cast<unsigned>(ip->opcode)];

#define INSTRUCTION(name, mnemonic, pattern, syntax, flags)                                                  \
    normal_##name:                                                                                           \
    {                                                                                                        \
        context.current = ip;                                                                                \
        if constexpr (is_branch(isa::Opcode::name))                                                          \
            core.clear_outcome();                                                                            \
        semantics::name(core, ip->operands);                                                                 \
        AFTER_SEMANTICS(name)                                                                                \
        if constexpr (is_branch(isa::Opcode::name)) {                                                        \
            BRANCH_EPILOGUE(core)                                                                            \
        } else {                                                                                             \
            ++ip;                                                                                            \
            DISPATCH();                                                                                      \
        }                                                                                                    \
    }                                                                                                        \
    delay_##name:                                                                                            \
    {                                                                                                        \
        if constexpr (is_branch(isa::Opcode::name)) {                                                        \
            goto branch_in_delay_slot;                                                                       \
        } else {                                                                                             \
            context.current = ip;                                                                            \
            semantics::name(core, ip->operands);                                                             \
            AFTER_SEMANTICS(name)                                                                            \
            goto leave_delay_slot;                                                                           \
        }                                                                                                    \
    }
#include "isa/instructions.inc"
#undef INSTRUCTION

// A superinstruction: the first instruction, then straight into the second's handler. Decoding
// pairs an entry only when its successor's handler is the normal one (code_cache.cpp).
#define SUPERINSTRUCTION(first, second)                                                                      \
    pair_##first##_##second:                                                                                 \
    {                                                                                                        \
        static_assert(!is_branch(isa::Opcode::first) && !is_store(isa::Opcode::first));                      \
        context.current = ip;                                                                                \
        semantics::first(core, ip->operands);                                                                \
        ++ip;                                                                                                \
        goto normal_##second;                                                                                \
    }
#include "engines/threaded/superinstructions.inc"
#undef SUPERINSTRUCTION

normal_Reserved:
delay_Reserved:
    {
        context.current = ip;
        core.raise(ExitKind::ReservedInstruction);
    }

leave_delay_slot:
    // ip is the delay slot, which has retired: continue after it.
    cpu.delay_slot = false;
    if (after == nullptr) {
        after = cache.lookup(context.after_delay_slot);
        if (after == nullptr) {
            // Not decodable (not executable, misaligned, or left to the reference interpreter):
            // the run loop takes it from here.
            context.retired_at_run_start += static_cast<uint64_t>(ip + 1 - context.run_start);
            cpu.pc = context.after_delay_slot;
            cpu.next_pc = cpu.pc + 4;
            cpu.instructions_retired = context.retired_at_run_start;
            return DispatchResult::Resume;
        }
    }
    BREAK_RUN(ip, after);
    ip = after;
    CHECK_BUDGET();
    DISPATCH();

branch_in_delay_slot:
    // A branch in a delay slot is UNPREDICTABLE; do whatever the reference interpreter does.
    LEAVE_AT_IP(DispatchResult::Resume);

page_end:
    // ip is the entry after a page's last instruction, which has retired.
    {
        DecodedInstruction* next = cache.lookup(ip->pc);
        BREAK_RUN(ip - 1, ip);
        if (next == nullptr)
            LEAVE_AT_IP(DispatchResult::Resume);
        context.run_start = ip = next;
        CHECK_BUDGET();
        DISPATCH();
    }

stale:
    // ip's page was dropped after this entry was chosen; its pc is still right.
    LEAVE_AT_IP(DispatchResult::Resume);

step_slowly:
    // A branch in the page's last word, whose delay slot lies in the next page.
    LEAVE_AT_IP(DispatchResult::StepOnce);

#undef BRANCH_EPILOGUE
#undef AFTER_SEMANTICS
#undef CHECK_BUDGET
#undef BREAK_RUN
#undef LEAVE_AT_IP
#undef DISPATCH
}

const HandlerTable& handler_table()
{
    static const bool initialized = [] {
        DispatchContext unused;
        dispatch(unused, nullptr);
        return true;
    }();
    (void)initialized;
    return exported_handlers;
}

void raise_from_decoded_code(DispatchContext& context, cpu::ExitKind kind, uint32_t address, uint32_t code)
{
    context.materialize_current();
    const cpu::CpuState& cpu = *context.cpu;
    context.exit = cpu::Exit{kind, cpu.pc, address, code, cpu.delay_slot};
    memory::jump_to_recovery_point(raised);
}

} // namespace isomorph::engines::threaded
