#include "isa/disassembler.h"

#include "isa/decoder.h"

#include <fmt/format.h>

namespace isomorph::isa {

namespace {

constexpr std::string_view register_names[32] = {
    "zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
    "s0",   "s1", "s2", "s3", "s4", "s5", "s6", "s7", "t8", "t9", "k0", "k1", "gp", "sp", "s8", "ra",
};

std::string hex(uint32_t value) { return fmt::format("0x{:x}", value); }

// Expands one operand token of a row's syntax string.
std::string operand(std::string_view token, const Operands& o, uint32_t pc)
{
    if (token == "rd") return std::string(register_name(o.rd));
    if (token == "rs") return std::string(register_name(o.rs));
    if (token == "rt") return std::string(register_name(o.rt));
    if (token == "zero") return "zero";
    if (token == "sa" || token == "pos") return hex(o.sa);
    if (token == "imm") return fmt::format("{}", o.imm);
    if (token == "uimm") return hex(o.unsigned_immediate());
    if (token == "mem") return fmt::format("{}({})", o.imm, register_name(o.rs));
    if (token == "branch") return fmt::format("{:x}", pc + 4 + (static_cast<uint32_t>(o.imm) << 2));
    if (token == "jump") return fmt::format("{:x}", ((pc + 4) & 0xF0000000) | (o.jump_index() << 2));
    if (token == "code20") return hex(o.code20() >> 10) + (o.code20() & 0x3FF ? "," + hex(o.code20() & 0x3FF) : "");
    if (token == "code10") return hex(o.code10());
    if (token == "stype") return hex(o.sa);
    if (token == "hint") return hex(o.rt);
    if (token == "hwr") return fmt::format("${}", o.rd);
    if (token == "size_ext") return hex(o.rd + 1u);
    if (token == "size_ins") return hex(o.rd - o.sa + 1u);
    if (token == "fd") return fmt::format("$f{}", o.sa);
    if (token == "fs") return fmt::format("$f{}", o.rd);
    if (token == "ft") return fmt::format("$f{}", o.rt);
    if (token == "fr") return fmt::format("$f{}", o.rs);
    if (token == "fcr") return fmt::format("${}", o.rd);
    if (token == "cch") return fmt::format("$fcc{}", o.cc_high());
    if (token == "ccl") return fmt::format("$fcc{}", o.cc_low());
    if (token == "index") return fmt::format("{}({})", register_name(o.rt), register_name(o.rs));
    return fmt::format("<{}?>", token);
}

} // namespace

std::string_view register_name(unsigned number) { return register_names[number & 31]; }

std::string disassemble(uint32_t word, uint32_t pc, AliasStyle)
{
    DecodedInstruction decoded = decode(word);
    if (decoded.opcode == Opcode::Reserved)
        return fmt::format(".word\t0x{:x}", word);
    const InstructionInfo& row = info(decoded.opcode);
    std::string text(row.mnemonic);
    std::string_view syntax = row.syntax;
    char separator = '\t';
    while (!syntax.empty()) {
        size_t comma = syntax.find(',');
        std::string_view token = syntax.substr(0, comma);
        text += separator;
        text += operand(token, decoded.operands, pc);
        separator = ',';
        syntax = comma == std::string_view::npos ? std::string_view{} : syntax.substr(comma + 1);
    }
    return text;
}

} // namespace isomorph::isa
