#pragma once

// The instruction table: one row per instruction, consumed by the decoder, the disassembler,
// every engine's dispatch and the tests. The rows live in the .inc files named below, as
//
//   INSTRUCTION(Name, "mnemonic", "encoding pattern", "assembly syntax", flags)
//
// The pattern lists bits 31..0; '0' and '1' are fixed bits, any other character (the field's
// letter) is an operand bit. Spaces are ignored. The syntax names the operands in assembly order
// (see disassembler.cpp for the tokens). Reference: MIPS32 Architecture for Programmers,
// Volume II-A (MD00086), revision 6.06, chapter 3, and Volume I-A (MD00082) for the formats.

#include <cstdint>
#include <string_view>

namespace isomorph::isa {

enum InstructionFlag : uint32_t {
    NoFlags = 0,
    Branch = 1u << 0,        // transfers control after a delay slot
    Likely = 1u << 1,        // branch-likely: the delay slot is nullified when not taken
    Link = 1u << 2,          // writes a return address
    RegisterJump = 1u << 3,  // the destination comes from a register
    Load = 1u << 4,
    Store = 1u << 5,
    FloatingPoint = 1u << 6, // needs coprocessor 1
    Privileged = 1u << 7,    // kernel mode only
    Trapping = 1u << 8,      // SYSCALL, BREAK and the trap instructions
    Unconditional = 1u << 9, // a branch or jump that is always taken
};

constexpr InstructionFlag operator|(InstructionFlag a, InstructionFlag b)
{
    return static_cast<InstructionFlag>(static_cast<uint32_t>(a) | static_cast<uint32_t>(b));
}

enum class Opcode : uint16_t {
#define INSTRUCTION(name, mnemonic, pattern, syntax, flags) name,
#include "isa/instructions.inc"
#undef INSTRUCTION
    Reserved,
};

constexpr unsigned instruction_count = static_cast<unsigned>(Opcode::Reserved);

struct Encoding {
    uint32_t mask = 0;
    uint32_t match = 0;
};

constexpr Encoding parse_pattern(std::string_view pattern)
{
    Encoding encoding;
    int bit = 31;
    for (char character : pattern) {
        if (character == ' ' || character == '_')
            continue;
        if (bit < 0)
            throw "instruction pattern longer than 32 bits";
        if (character == '0' || character == '1') {
            encoding.mask |= 1u << bit;
            if (character == '1')
                encoding.match |= 1u << bit;
        }
        --bit;
    }
    if (bit != -1)
        throw "instruction pattern shorter than 32 bits";
    return encoding;
}

struct InstructionInfo {
    Opcode opcode;
    std::string_view name;     // the enumerator's name, e.g. "JR_HB"
    std::string_view mnemonic; // the assembler's mnemonic, e.g. "jr.hb"
    std::string_view syntax;
    Encoding encoding;
    InstructionFlag flags;

    constexpr bool has(InstructionFlag flag) const { return (flags & flag) != 0; }
};

inline constexpr InstructionInfo instruction_table[] = {
#define INSTRUCTION(name, mnemonic, pattern, syntax, flags)                                                  \
    {Opcode::name, #name, mnemonic, syntax, parse_pattern(pattern), static_cast<InstructionFlag>(flags)},
#include "isa/instructions.inc"
#undef INSTRUCTION
};

static_assert(sizeof(instruction_table) / sizeof(instruction_table[0]) == instruction_count);

constexpr const InstructionInfo& info(Opcode opcode) { return instruction_table[static_cast<unsigned>(opcode)]; }

} // namespace isomorph::isa
