#include "engines/interp/interpreter.h"

#include "cpu/fpu_arithmetic.h"
#include "engines/store_journal.h"
#include "engines/user_core.h"
#include "isa/decoder.h"
#include "isa/semantics.h"

#include <cstdio>
#include <fmt/format.h>

namespace isomorph::engines {

namespace {

template <class Core> void execute(Core& core, const isa::DecodedInstruction& instruction)
{
    namespace semantics = isa::semantics;
    switch (instruction.opcode) {
#define INSTRUCTION(name, mnemonic, pattern, syntax, flags)                                                  \
    case isa::Opcode::name: semantics::name(core, instruction.operands); break;
#include "isa/instructions.inc"
#undef INSTRUCTION
    case isa::Opcode::Reserved: core.raise(ExitKind::ReservedInstruction);
    }
}

} // namespace

template <bool counting, class Core, class Stop>
void Interpreter::loop(Core& core, cpu::CpuState& cpu, uint64_t budget, Stop&& stop_after)
{
    for (uint64_t executed = 0; executed < budget; ++executed) {
        bool in_delay_slot = cpu.delay_slot;
        core.begin(cpu.pc);
        isa::DecodedInstruction instruction = isa::decode(core.fetch(cpu.pc));
        if constexpr (counting)
            m_counts[static_cast<unsigned>(instruction.opcode)].fetch_add(1, std::memory_order_relaxed);
        execute(core, instruction);
        core.commit();
        if (stop_after(instruction, in_delay_slot))
            return;
    }
}

namespace {

// Runs steps(core) on a core whose stores report to journal, with the recovery point that a raised
// exception or a host fault on guest memory unwinds to.
template <class Journal, class Steps>
cpu::Exit run_guarded(memory::AddressSpace& memory, cpu::CpuState& cpu, Journal& journal, Steps&& steps)
{
    // Where the core leaves a raised exit: this call's own, as the call may run concurrently with
    // others. Only callees write it (through the core), so it survives the longjmp.
    cpu::Exit raised_exit;
    cpu::fpu::GuestModeScope fpu_mode;
    BasicUserCore<Journal> core(cpu, memory, raised_exit, journal);
    memory::FaultScope scope(memory);
    switch (sigsetjmp(scope.buffer, 0)) {
    case 0: break;
    case BasicUserCore<Journal>::raised: return raised_exit;
    default: // a host fault on guest memory, raised by the instruction at cpu.pc
        return cpu::Exit{scope.fault.write ? ExitKind::StoreFault : ExitKind::LoadFault, cpu.pc,
                         scope.fault.address, 0, cpu.delay_slot};
    }
    steps(core);
    return cpu::Exit{ExitKind::BudgetExhausted, cpu.pc, 0, 0, cpu.delay_slot};
}

} // namespace

cpu::Exit Interpreter::run(cpu::CpuState& cpu, uint64_t budget)
{
    NoStoreJournal journal;
    auto never = [](const isa::DecodedInstruction&, bool) { return false; };
    return run_guarded(m_memory, cpu, journal, [&](UserCore& core) {
        if (m_counting)
            loop<true>(core, cpu, budget, never);
        else
            loop<false>(core, cpu, budget, never);
    });
}

cpu::Exit Interpreter::run_until(cpu::CpuState& cpu, uint64_t budget, StopAt stop, void* context)
{
    NoStoreJournal journal;
    // A control transfer is complete after a delay slot, or after a branch that left none to run
    // (a branch-likely that nullified its slot).
    auto at_destination = [&](const isa::DecodedInstruction& instruction, bool in_delay_slot) {
        bool transferred = in_delay_slot || (!cpu.delay_slot && isa::info(instruction.opcode).has(isa::Branch));
        return transferred && stop(context, cpu.pc);
    };
    return run_guarded(m_memory, cpu, journal,
                       [&](UserCore& core) { loop<false>(core, cpu, budget, at_destination); });
}

template <class Journal>
cpu::Exit Interpreter::step_block(cpu::CpuState& cpu, std::span<const GuestRange> path, Journal& journal)
{
    return run_guarded(m_memory, cpu, journal, [&](BasicUserCore<Journal>& core) {
        for (;;) {
            uint32_t pc = cpu.pc;
            core.begin(pc);
            execute(core, isa::decode(core.fetch(pc)));
            core.commit();
            uint32_t next = 0;
            if (!next_on_path(path, pc, next) || cpu.pc != next)
                break;
        }
    });
}

cpu::Exit Interpreter::run_block(cpu::CpuState& cpu, std::span<const GuestRange> path)
{
    NoStoreJournal journal;
    return step_block(cpu, path, journal);
}

cpu::Exit Interpreter::run_block(cpu::CpuState& cpu, std::span<const GuestRange> path, StoreJournal& journal)
{
    return step_block(cpu, path, journal);
}

bool Interpreter::count_instructions(std::string path)
{
    m_counting = true;
    m_counts_path = std::move(path);
    return true;
}

void Interpreter::write_instruction_counts()
{
    if (!m_counting)
        return;
    std::FILE* file = std::fopen(m_counts_path.c_str(), "w");
    if (file == nullptr) {
        std::fputs(fmt::format("isomorph: cannot write instruction counts to '{}'\n", m_counts_path).c_str(), stderr);
        return;
    }
    for (const isa::InstructionInfo& row : isa::instruction_table)
        fmt::print(file, "{} {}\n", row.name, m_counts[static_cast<unsigned>(row.opcode)].load());
    fmt::print(file, "Reserved {}\n", m_counts[isa::instruction_count].load());
    std::fclose(file);
}

} // namespace isomorph::engines
