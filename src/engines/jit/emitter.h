#pragma once

// The x86-64 backend: one guest block into host code, with Xbyak. Native fast paths for the rows
// in engines/jit/native_table.h; a helper call for every other row. See engines/jit/context.h for
// the fixed host registers.

#include "engines/jit/block.h"
#include "engines/jit/frontend.h"

#include <cstddef>
#include <cstdint>

namespace isomorph::engines::jit {

// What generated code jumps to: the common exit back to the dispatcher (rax = the ExitSite).
struct Runtime {
    const uint8_t* exit_to_dispatcher = nullptr;
    ExitSite* budget_site = nullptr;
    // Each block counts its entries in Block::executions, and register jumps their cache hits.
    bool instrument = false;
    // A basic block that would grow as a superblock (GuestBlock::grows_when_hot) counts down this
    // many entries and then leaves through hot_site before it runs; 0: it does not count.
    ExitSite* hot_site = nullptr;
    uint32_t hot_threshold = 0;
    // Where a block that assumes the common FPU mode leaves, unrun, when its entry finds another.
    ExitSite* fpu_mode_site = nullptr;
    // Where such a block counts which way its conditional branch goes, until it is hot (the
    // superblock follows the more frequent way: frontend.h); null: it does not count.
    BranchProfile* branch_profile = nullptr;
};

// Translates guest into host code at buffer (at most capacity bytes) and fills block: entry,
// host_size, exits, instruction_offsets. Returns false if the code does not fit.
bool emit_block(const GuestBlock& guest, Block& block, uint8_t* buffer, size_t capacity, const Runtime& runtime);

// Emits the dispatcher's entry and exit trampolines at buffer; returns their size.
//   entry(JitContext* context, CpuState* cpu, uint8_t* host_base, const uint8_t* code) -> ExitSite*
struct Trampolines {
    using Entry = ExitSite* (*)(JitContext*, cpu::CpuState*, uint8_t*, const uint8_t*);
    Entry enter = nullptr;
    const uint8_t* exit_to_dispatcher = nullptr;
    size_t size = 0;
};
Trampolines emit_trampolines(uint8_t* buffer, size_t capacity);

// Whether add, sub, mul and div (S and D) run inline: the host has AVX and FMA (emit_fpu.cpp).
bool host_runs_fpu_arithmetic_inline();

// True when the emitter has a native fast path for this instruction word (for the table test).
bool emits_natively(const GuestInstruction& instruction);

} // namespace isomorph::engines::jit
