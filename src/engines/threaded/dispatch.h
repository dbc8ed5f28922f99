#pragma once

// The threaded interpreter's dispatch loop: one function whose labels are the handlers of every
// row of the instruction table, each ending with a jump to the next decoded instruction's handler.

#include "engines/threaded/decoded.h"
#include "engines/threaded/threaded_core.h"
#include "isa/instruction.h"

namespace isomorph::engines::threaded {


// The addresses of the dispatch function's labels, for decoding and invalidation.
struct HandlerTable {
    const void* normal[isa::instruction_count + 1]; // indexed by isa::Opcode; the last is Reserved
    const void* stale;       // the handler of every entry of a dropped page
    const void* page_end;    // the entry after a page's last instruction
    const void* step_slowly; // an instruction the reference interpreter must run

    // Superinstructions (superinstructions.inc): the handler for an entry whose instruction is
    // first and whose successor is second.
    struct Pair {
        isa::Opcode first;
        isa::Opcode second;
        const void* handler;
    };
    static constexpr size_t pair_count = 0
#define SUPERINSTRUCTION(first, second) +1
#include "engines/threaded/superinstructions.inc"
#undef SUPERINSTRUCTION
        ;
    Pair pairs[pair_count];

    // The superinstruction for first followed by second, if there is one.
    const void* pair(isa::Opcode first, isa::Opcode second) const
    {
        for (const Pair& candidate : pairs)
            if (candidate.first == first && candidate.second == second)
                return candidate.handler;
        return nullptr;
    }
};

const HandlerTable& handler_table();

enum class DispatchResult {
    Resume,   // the CpuState is materialized; continue from cpu.pc
    StepOnce, // the CpuState is materialized; let the reference interpreter run one instruction
};

// Runs decoded code from entry, which must be context.run_start, with cpu.delay_slot clear and
// at least entry->run_length instructions left before context.limit. Every branch ends a run:
// after its delay slot the loop checks that the next run fits in the budget, and leaves when not.
// Returns with the CpuState materialized; a guest exception or host fault unwinds to the caller's
// recovery point instead (see raise_from_decoded_code).
DispatchResult dispatch(DispatchContext& context, DecodedInstruction* entry);

} // namespace isomorph::engines::threaded
