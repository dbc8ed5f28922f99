#include "engines/jit/helpers.h"

#include "isa/semantics.h"

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

Helper helper_for(isa::Opcode opcode)
{
    return helpers[static_cast<unsigned>(opcode)];
}

} // namespace isomorph::engines::jit
