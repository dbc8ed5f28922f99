#pragma once

// Translated code stores only pc before a native load or store in a delay slot. If the access
// faults, the delay-slot state (delay_slot, next_pc) is completed afterwards: the branch before
// the slot is run again on a probe core, which is exact because a faulting slot has changed
// nothing and the branches whose link overwrites an operand are translated with the full state.

#include "cpu/state.h"

#include <cstdint>

namespace isomorph::memory {
class AddressSpace;
}

namespace isomorph::engines::jit {

// cpu.pc is an instruction of the block starting at block_start that stopped with only pc
// stored. Sets next_pc, and delay_slot if cpu.pc is the delay slot of the block's branch.
void complete_delay_slot_state(const memory::AddressSpace& memory, cpu::CpuState& cpu, uint32_t block_start);

} // namespace isomorph::engines::jit
