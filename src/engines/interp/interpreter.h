#pragma once

#include "engines/engine.h"
#include "engines/guest_range.h"
#include "isa/instruction.h"

#include <array>
#include <atomic>
#include <string>

namespace isomorph::engines {

class StoreJournal;

// The reference engine: fetch, decode, switch on the opcode, run the instruction's semantics.
// Clear rather than clever; every other engine is checked against it. run() may be called from
// several host threads at once, each with its own CpuState: it keeps no state of its own between
// instructions but the instruction counts, which are atomic.
class Interpreter final : public Engine {
public:
    explicit Interpreter(memory::AddressSpace& memory) : m_memory(memory) {}

    cpu::Exit run(cpu::CpuState& cpu, uint64_t budget) override;
    void invalidate_code(uint32_t, uint32_t) override {}

    // Instruction counting: one counter per table row (and one for reserved words), bumped
    // before each instruction runs, so an instruction that raises an exception is counted too.
    // Only the counting variant of the loop pays for it.
    bool count_instructions(std::string path) override;
    void write_instruction_counts() override;

    // Runs the instructions from cpu.pc along path, the guest code of a translated block
    // (engines/jit/frontend.h): one at a time, while each moves control to the next instruction
    // on the path. It stops after the path's last instruction, after a branch that leaves it (the
    // block's last, after its delay slot; a branch-likely not taken, past it), or at an exception
    // (the state as run() leaves it). The lockstep mode's reference run; the second form records
    // every store in journal before it writes. Not counted.
    cpu::Exit run_block(cpu::CpuState& cpu, std::span<const GuestRange> path);
    cpu::Exit run_block(cpu::CpuState& cpu, std::span<const GuestRange> path, StoreJournal& journal);

    // Runs from cpu.pc as run() does, but at each control transfer's destination (after a branch's
    // delay slot, or past the slot a branch-likely nullified) asks stop(context, pc) and stops
    // there, before that instruction, if it says so (the exit is then BudgetExhausted). The
    // translator's staged emulation runs untranslated code this way, one call for many blocks
    // (engines/jit/jit_engine.h). Not counted.
    using StopAt = bool (*)(void* context, uint32_t pc);
    cpu::Exit run_until(cpu::CpuState& cpu, uint64_t budget, StopAt stop, void* context);

private:
    template <class Journal>
    cpu::Exit step_block(cpu::CpuState& cpu, std::span<const GuestRange> path, Journal& journal);
    // Steps up to budget instructions; stops early after one for which
    // stop_after(instruction, whether it ran in a delay slot) is true.
    template <bool counting, class Core, class Stop>
    void loop(Core& core, cpu::CpuState& cpu, uint64_t budget, Stop&& stop_after);

    memory::AddressSpace& m_memory;
    // Set before the first run() (count_instructions), read by every thread after.
    bool m_counting = false;
    std::string m_counts_path;
    std::array<std::atomic<uint64_t>, isa::instruction_count + 1> m_counts{};
};

} // namespace isomorph::engines
