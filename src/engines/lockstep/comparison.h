#pragma once

// What the lockstep mode compares after a block, and the report of a divergence.

#include "cpu/exit.h"
#include "cpu/state.h"
#include "engines/store_journal.h"

#include <cstdint>
#include <string>
#include <vector>

namespace isomorph::memory {
class AddressSpace;
}

namespace isomorph::engines::lockstep {

// Both sides of one block step: what each engine left.
struct BlockOutcome {
    const cpu::CpuState& state;
    const cpu::Exit& exit;
};

// One line per difference: the exits' fields, every architectural register (GPRs, HI, LO, pc,
// next_pc, the delay-slot flag, UserLocal, the LL/SC link, FPU registers, FCSR, FIR, Status.FR
// and CU1, the retired-instruction count), and every location in journal whose contents now
// differ from what the interpreter left there. Empty when the two agree.
std::vector<std::string> differences(const BlockOutcome& interpreter, const BlockOutcome& translator,
                                     const StoreJournal& journal, const memory::AddressSpace& memory);

// The whole report: a first line "isomorph: error: lockstep divergence ...", the block's guest
// disassembly from memory, the state it started from where it matters, both exits and the
// differences.
std::string divergence_report(uint32_t block_start, uint32_t block_end, const cpu::CpuState& entry,
                              const BlockOutcome& interpreter, const BlockOutcome& translator,
                              const std::vector<std::string>& differences, const memory::AddressSpace& memory);

} // namespace isomorph::engines::lockstep
