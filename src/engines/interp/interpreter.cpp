#include "engines/interp/interpreter.h"

#include "engines/user_core.h"
#include "isa/decoder.h"
#include "isa/semantics.h"

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

cpu::Exit Interpreter::run(cpu::CpuState& cpu, uint64_t budget)
{
    UserCore core(cpu, m_memory, m_exit);
    memory::FaultScope scope(m_memory);
    switch (sigsetjmp(scope.buffer, 0)) {
    case 0: break;
    case UserCore::raised: return m_exit;
    default: // a host fault on guest memory, raised by the instruction at cpu.pc
        return cpu::Exit{scope.fault.write ? ExitKind::StoreFault : ExitKind::LoadFault, cpu.pc, scope.fault.address,
                         0, cpu.delay_slot};
    }
    for (uint64_t executed = 0; executed < budget; ++executed) {
        core.begin(cpu.pc);
        execute(core, isa::decode(core.fetch(cpu.pc)));
        core.commit();
    }
    return cpu::Exit{ExitKind::BudgetExhausted, cpu.pc, 0, 0, cpu.delay_slot};
}

} // namespace isomorph::engines
