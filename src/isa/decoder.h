#pragma once

#include "isa/instruction.h"
#include "isa/operands.h"

#include <cstdint>

namespace isomorph::isa {

struct DecodedInstruction {
    Opcode opcode = Opcode::Reserved;
    Operands operands;
};

// The row of the instruction table that matches word, or Opcode::Reserved.
Opcode decode_opcode(uint32_t word);

inline DecodedInstruction decode(uint32_t word) { return {decode_opcode(word), Operands::from_word(word)}; }

} // namespace isomorph::isa
