#pragma once

// What translated code sees while it runs. Generated code keeps four host registers fixed:
//
//   rbx  the CpuState (guest registers live there: every access is a load or store at an offset)
//   r15  the guest memory base (memory::AddressSpace::host_base()): guest address a is r15 + a
//   r14  the JitContext below (the running block, statistics, the raised exit)
//   r12  the instruction budget (JitContext::remaining while translated code runs)
//
// and uses r13 to carry a branch's outcome (or a register jump's destination) across the delay
// slot; elsewhere r13 caches a guest register. All five are callee-saved in the System V ABI, so
// helpers called from generated code keep them. The offsets below are what the emitter addresses.

#include "cpu/exit.h"
#include "cpu/state.h"

#include <cstddef>
#include <cstdint>

namespace isomorph::memory {
class AddressSpace;
}

namespace isomorph::engines::jit {

struct Block;

// One entry of the hash table that register jumps consult after their inline cache.
struct IndirectEntry {
    uint32_t pc = 1; // an odd address: no block starts there
    uint32_t unused = 0;
    const uint8_t* host = nullptr;
};

struct JitContext {
    // The instruction budget: how many instructions translated code may still run. A block
    // subtracts its length at its entry and runs only if the result is not negative; a way out
    // before its end (a side exit, a skipped delay slot, leaving unrun) adds back what it did not
    // run. While translated code runs the budget is in r12 (a register: no chain of loads and
    // stores from block to block), and a block stores its value at its entry here only before it
    // calls a helper; after a host fault in translated code the engine takes it from the fault's
    // r12 plus the block's length.
    // Outside translated code CpuState::instructions_retired is limit - remaining; inside it the
    // CpuState's count is stale and retired() below is the truth.
    int64_t remaining = 0;
    uint64_t limit = 0;
    // The running block, stored with remaining (after a host fault the engine finds the block
    // from the faulting host address).
    const Block* block = nullptr;

    // Register-jump statistics, counted by generated code.
    uint64_t inline_cache_hits = 0;
    uint64_t hash_table_hits = 0;

    IndirectEntry* hash_table = nullptr;

    // Where a misaligned access's cold path saves the host registers of the register cache (by
    // Xbyak register index) for raise_misaligned (engines/jit/helpers.h).
    uint32_t saved_registers[16] = {};

    cpu::CpuState* cpu = nullptr;
    memory::AddressSpace* memory = nullptr;
    uint8_t* host_base = nullptr;

    // The exit a helper raised before it unwound to the engine.
    cpu::Exit exit;

    // Instructions retired before the instruction at pc of the running block (engines/jit/block.h).
    uint64_t retired(uint32_t pc) const;
};

// The number of hash-table entries (a power of two); indexed by (pc >> 2) & mask.
inline constexpr uint32_t hash_table_size = 4096;
inline constexpr uint32_t hash_table_mask = hash_table_size - 1;

// What a helper that ran a branch's semantics reports to the generated code.
enum class BranchOutcome : uint32_t {
    NotTaken = 0,
    Taken = 1,
    Nullified = 2, // a branch-likely that fell through: the delay slot is skipped
};

namespace offsets {
inline constexpr int32_t gpr(unsigned number) { return static_cast<int32_t>(offsetof(cpu::CpuState, gpr) + 4 * number); }
inline constexpr int32_t hi = offsetof(cpu::CpuState, hi);
inline constexpr int32_t lo = offsetof(cpu::CpuState, lo);
inline constexpr int32_t pc = offsetof(cpu::CpuState, pc);
inline constexpr int32_t user_local = offsetof(cpu::CpuState, user_local);
inline constexpr int32_t next_pc = offsetof(cpu::CpuState, next_pc);
inline constexpr int32_t delay_slot = offsetof(cpu::CpuState, delay_slot);
inline constexpr int32_t instructions_retired = offsetof(cpu::CpuState, instructions_retired);
inline constexpr int32_t fpr(unsigned number)
{
    return static_cast<int32_t>(offsetof(cpu::CpuState, fpu) + offsetof(cpu::FpuState, fpr) + 8 * number);
}
inline constexpr int32_t fpu_fr = offsetof(cpu::CpuState, fpu) + offsetof(cpu::FpuState, fr);
inline constexpr int32_t fpu_enabled = offsetof(cpu::CpuState, fpu) + offsetof(cpu::FpuState, enabled);
inline constexpr int32_t fcsr = offsetof(cpu::CpuState, fpu) + offsetof(cpu::FpuState, fcsr);
inline constexpr int32_t remaining = offsetof(JitContext, remaining);
inline constexpr int32_t block = offsetof(JitContext, block);
inline constexpr int32_t inline_cache_hits = offsetof(JitContext, inline_cache_hits);
inline constexpr int32_t hash_table_hits = offsetof(JitContext, hash_table_hits);
inline constexpr int32_t hash_table = offsetof(JitContext, hash_table);
inline constexpr int32_t saved_register(unsigned index)
{
    return static_cast<int32_t>(offsetof(JitContext, saved_registers) + 4 * index);
}
static_assert(next_pc == pc + 4, "pc and next_pc are stored together as one quadword");
static_assert(offsetof(cpu::CpuState, hi) + 4 == offsetof(cpu::CpuState, lo));
} // namespace offsets

} // namespace isomorph::engines::jit
