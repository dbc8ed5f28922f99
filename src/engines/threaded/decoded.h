#pragma once

// Pre-decoded guest code for the threaded interpreter: one array of decoded instructions per
// guest page, built the first time the page runs.

#include "isa/instruction.h"
#include "isa/operands.h"

#include <cstdint>

namespace isomorph::engines::threaded {

// One guest instruction, decoded once. handler is the address of the dispatch function's label for
// the instruction's row; operands are already extracted onto byte boundaries (register numbers,
// the sign-extended immediate, the shift amount). For a direct branch or jump whose target lies in
// the same page, target is the distance in entries from this one to the target's entry.
// run_length bounds how many instructions retire from this entry on before the dispatch loop
// checks the budget again: up to the next branch and its delay slot, or to the page's end.
struct DecodedInstruction {
    static constexpr int16_t no_target = INT16_MIN;

    // Read and written with relaxed atomics: invalidation, possibly on another thread, points the
    // handlers of a dropped page at the dispatch function's "stale" label.
    const void* handler = nullptr;
    isa::Operands operands;
    uint32_t pc = 0; // the instruction's guest address
    isa::Opcode opcode = isa::Opcode::Reserved;
    int16_t target = no_target;
    uint16_t run_length = 0;

    const void* load_handler() const { return __atomic_load_n(&handler, __ATOMIC_RELAXED); }
    void store_handler(const void* value) { __atomic_store_n(&handler, value, __ATOMIC_RELAXED); }
};

static_assert(sizeof(DecodedInstruction) == 32, "decoded instructions should stay half a cache line");

// The decoded instructions of one 4 KiB guest page, followed by a page-end entry whose handler
// carries execution over to the next page.
struct DecodedPage {
    static constexpr unsigned instruction_count = 1024;

    DecodedInstruction entries[instruction_count + 1];
    uint32_t base = 0; // guest address of the page

    DecodedInstruction& page_end() { return entries[instruction_count]; }
};

} // namespace isomorph::engines::threaded
