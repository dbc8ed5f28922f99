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

struct Block;

// cpu.pc is an instruction of block that stopped with only pc stored. Sets next_pc, and
// delay_slot if cpu.pc is the delay slot of a branch in the block (its last, or a jump the block
// follows).
void complete_delay_slot_state(const memory::AddressSpace& memory, cpu::CpuState& cpu, const Block& block);

} // namespace isomorph::engines::jit
