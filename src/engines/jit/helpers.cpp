#include "engines/jit/helpers.h"

#include "isa/decoder.h"
#include "isa/semantics.h"

#include <cstdio>
#include <cstdlib>

namespace isomorph::engines::jit {

namespace {

template <void (*Semantics)(JitCore&, const isa::Operands&)>
uint32_t run_semantics(JitContext* context, uint32_t word, uint32_t pc)
{
    JitCore core(*context, pc);
    Semantics(core, isa::Operands::from_word(word));
    return static_cast<uint32_t>(core.outcome());
}

uint32_t reserved_instruction(JitContext* context, uint32_t, uint32_t pc)
{
    JitCore core(*context, pc);
    core.raise(ExitKind::ReservedInstruction);
}

constexpr Helper helpers[] = {
#define INSTRUCTION(name, mnemonic, pattern, syntax, flags) &run_semantics<&isa::semantics::name<JitCore>>,
#include "isa/instructions.inc"
#undef INSTRUCTION
    &reserved_instruction,
};

static_assert(sizeof(helpers) / sizeof(helpers[0]) == isa::instruction_count + 1);

} // namespace

void raise_misaligned(JitContext* context, uint32_t site_index)
{
    const FaultSite& site = context->block->fault_sites[site_index];
    site.restore(*context->cpu, [&](unsigned host) { return context->saved_registers[host]; });
    uint32_t word = context->memory->read<uint32_t>(site.pc);
    helper_for(isa::decode(word).opcode)(context, word, site.pc);
    // The helper computed the same address from the same registers: it raised.
    std::fputs("isomorph: internal error: a misaligned access did not raise\n", stderr);
    std::abort();
}

Helper helper_for(isa::Opcode opcode) { return helpers[static_cast<unsigned>(opcode)]; }

} // namespace isomorph::engines::jit
