#pragma once

#include "isa/instruction.h"
#include "isa/operands.h"

#include <cstdint>

namespace isomorph::isa {

struct DecodedInstruction {
    Opcode opcode = Opcode::Reserved;
    Operands operands;
};

// The decoder's tables: a decision tree over the instruction table, built from it at compile
// time (decoder.cpp). Each entry is either an inner node (bit 31 clear): bits 30:26 the shift of the
// field it switches on, bits 25:22 the field's width, bits 21:0 the index of its first child; or a
// leaf (bit 31 set): bits 30:16 the number of candidate rows, bits 15:0 the first one.
namespace decoder_detail {

struct Candidate {
    uint32_t mask;
    uint32_t match;
    Opcode opcode;
};

struct Tables {
    const uint32_t* entries;
    const Candidate* candidates;
};

constexpr uint32_t leaf_bit = 1u << 31;

extern const Tables tables; // constant-initialized: no code runs to build them

} // namespace decoder_detail

// The row of the instruction table that matches word, or Opcode::Reserved.
inline Opcode decode_opcode(uint32_t word)
{
    using namespace decoder_detail;
    uint32_t entry = tables.entries[0];
    while (!(entry & leaf_bit)) {
        uint32_t field = (word >> (entry >> 26)) & ((1u << ((entry >> 22) & 15)) - 1);
        entry = tables.entries[(entry & 0x3FFFFF) + field];
    }
    const Candidate* candidate = &tables.candidates[entry & 0xFFFF];
    for (uint32_t count = (entry >> 16) & 0x7FFF; count != 0; --count, ++candidate)
        if ((word & candidate->mask) == candidate->match)
            return candidate->opcode;
    return Opcode::Reserved;
}

inline DecodedInstruction decode(uint32_t word) { return {decode_opcode(word), Operands::from_word(word)}; }

} // namespace isomorph::isa
