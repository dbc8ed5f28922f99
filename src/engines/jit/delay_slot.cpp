#include "engines/jit/delay_slot.h"

#include "engines/jit/block.h"
#include "isa/decoder.h"
#include "isa/semantics.h"
#include "memory/address_space.h"

namespace isomorph::engines::jit {

namespace {

// Runs a branch's semantics to learn where it goes; writes nothing.
class BranchProbeCore {
public:
    struct Stop {};

    BranchProbeCore(cpu::CpuState& state, uint32_t pc) : cpu(state), m_pc(pc) {}

    cpu::CpuState& cpu;

    uint32_t pc() const { return m_pc; }
    uint32_t gpr(unsigned number) const { return cpu.gpr[number]; }
    void set_gpr(unsigned, uint32_t) {} // the link was written when the branch ran
    void branch(uint32_t target)
    {
        m_taken = true;
        m_target = target;
    }
    void branch_not_taken() {}
    void nullify_delay_slot() {}
    [[noreturn]] void raise(cpu::ExitKind, uint32_t = 0, uint32_t = 0) { throw Stop{}; }

    bool taken() const { return m_taken; }
    uint32_t target() const { return m_target; }

private:
    uint32_t m_pc;
    bool m_taken = false;
    uint32_t m_target = 0;
};

// Where the branch at pc sends control after its delay slot.
uint32_t destination_of_branch(cpu::CpuState& cpu, const isa::DecodedInstruction& branch, uint32_t pc)
{
    using namespace isa;
    BranchProbeCore core(cpu, pc);
    bool saved_delay_slot = cpu.delay_slot;
    cpu.delay_slot = false; // the branch itself was not in a delay slot
    try {
        switch (branch.opcode) {
#define INSTRUCTION(name, mnemonic, pattern, syntax, flags)                                                  \
    case Opcode::name:                                                                                       \
        if constexpr (((flags) & Branch) != 0)                                                               \
            semantics::name(core, branch.operands);                                                          \
        break;
#include "isa/instructions.inc"
#undef INSTRUCTION
        default: break;
        }
    } catch (const BranchProbeCore::Stop&) {
    }
    cpu.delay_slot = saved_delay_slot;
    return core.taken() ? core.target() : pc + 8;
}

} // namespace

void complete_delay_slot_state(const memory::AddressSpace& memory, cpu::CpuState& cpu, const Block& block)
{
    if (cpu.delay_slot)
        return; // the generated code stored the whole state
    cpu.next_pc = cpu.pc + 4;
    if (!block.follows_previous(cpu.pc))
        return;
    uint32_t previous = cpu.pc - 4;
    isa::DecodedInstruction instruction = isa::decode(memory.read<uint32_t>(previous));
    if (!isa::info(instruction.opcode).has(isa::Branch))
        return;
    cpu.next_pc = destination_of_branch(cpu, instruction, previous);
    cpu.delay_slot = true;
}

} // namespace isomorph::engines::jit
