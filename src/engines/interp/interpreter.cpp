#include "engines/interp/interpreter.h"

#include "cpu/fpu_arithmetic.h"
#include "engines/user_core.h"
#include "isa/decoder.h"
#include "isa/semantics.h"

#include <cstdio>
#include <fmt/format.h>

namespace isomorph::engines {

namespace {

void execute(UserCore& core, const isa::DecodedInstruction& instruction)
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

template <bool counting> void Interpreter::loop(UserCore& core, cpu::CpuState& cpu, uint64_t budget)
{
    for (uint64_t executed = 0; executed < budget; ++executed) {
        core.begin(cpu.pc);
        isa::DecodedInstruction instruction = isa::decode(core.fetch(cpu.pc));
        if constexpr (counting)
            m_counts[static_cast<unsigned>(instruction.opcode)].fetch_add(1, std::memory_order_relaxed);
        execute(core, instruction);
        core.commit();
    }
}

cpu::Exit Interpreter::run(cpu::CpuState& cpu, uint64_t budget)
{
    // Where the core leaves a raised exit: this call's own, as the call may run concurrently with
    // others. Only callees write it (through the core), so it survives the longjmp.
    cpu::Exit raised_exit;
    cpu::fpu::GuestModeScope fpu_mode(cpu.fpu);
    UserCore core(cpu, m_memory, raised_exit);
    memory::FaultScope scope(m_memory);
    switch (sigsetjmp(scope.buffer, 0)) {
    case 0: break;
    case UserCore::raised: return raised_exit;
    default: // a host fault on guest memory, raised by the instruction at cpu.pc
        return cpu::Exit{scope.fault.write ? ExitKind::StoreFault : ExitKind::LoadFault, cpu.pc,
                         scope.fault.address, 0, cpu.delay_slot};
    }
    if (m_counting)
        loop<true>(core, cpu, budget);
    else
        loop<false>(core, cpu, budget);
    return cpu::Exit{ExitKind::BudgetExhausted, cpu.pc, 0, 0, cpu.delay_slot};
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
        fmt::print(stderr, "isomorph: cannot write instruction counts to '{}'\n", m_counts_path);
        return;
    }
    for (const isa::InstructionInfo& row : isa::instruction_table)
        fmt::print(file, "{} {}\n", row.name, m_counts[static_cast<unsigned>(row.opcode)].load());
    fmt::print(file, "Reserved {}\n", m_counts[isa::instruction_count].load());
    std::fclose(file);
}

} // namespace isomorph::engines
