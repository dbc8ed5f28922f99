#include "engines/jit/planted_divergence.h"

#include "isa/instruction.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

#include <fmt/format.h>

namespace isomorph::engines::jit {

namespace {

using isa::Opcode;

enum class Planting : uint8_t { None, Immediate, StoredRegister };

Planting planting_for(Opcode opcode)
{
    switch (opcode) {
    case Opcode::ADDIU: case Opcode::ADDI: case Opcode::ORI: case Opcode::XORI: case Opcode::ANDI:
    case Opcode::SLTI: case Opcode::SLTIU:
        return Planting::Immediate;
    case Opcode::SB: case Opcode::SH: case Opcode::SW: return Planting::StoredRegister;
    default: return Planting::None;
    }
}

// The row the variable names, read once; nothing when it is unset or names no row that can be
// planted (said once on stderr).
std::optional<Opcode> planted_row()
{
    static const std::optional<Opcode> row = []() -> std::optional<Opcode> {
        const char* value = std::getenv("ISOMORPH_JIT_PLANT_DIVERGENCE");
        if (value == nullptr || *value == '\0')
            return std::nullopt;
        for (const isa::InstructionInfo& info : isa::instruction_table)
            if (info.name == std::string_view(value) && planting_for(info.opcode) != Planting::None)
                return info.opcode;
        std::fputs(fmt::format("isomorph: ISOMORPH_JIT_PLANT_DIVERGENCE={}: no such row can be planted "
                               "(ADDIU, ADDI, ORI, XORI, ANDI, SLTI, SLTIU, SB, SH, SW)\n",
                               value)
                       .c_str(),
                   stderr);
        return std::nullopt;
    }();
    return row;
}

} // namespace

void plant_divergence(GuestBlock& guest)
{
    std::optional<Opcode> row = planted_row();
    if (!row)
        return;
    for (GuestInstruction& instruction : guest.instructions) {
        if (instruction.decoded.opcode != *row)
            continue;
        uint32_t word = instruction.word;
        if (planting_for(*row) == Planting::Immediate)
            word = (word & 0xFFFF0000u) | ((word + 1) & 0xFFFFu);
        else
            word ^= 1u << 16; // rt, bits 20..16
        instruction.word = word;
        instruction.decoded = isa::decode(word);
    }
}

} // namespace isomorph::engines::jit
