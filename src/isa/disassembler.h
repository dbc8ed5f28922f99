#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace isomorph::isa {

enum class AliasStyle { Aliases, NoAliases };

// The o32 ABI name of a general register, as objdump prints it ("zero", "a0", "s8", "ra").
std::string_view register_name(unsigned number);

// One instruction in the syntax of `mipsel-linux-gnu-objdump -d`: mnemonic, a tab, operands.
// Branch and jump targets are absolute addresses, computed from pc. With AliasStyle::Aliases the
// assembler's idioms are shown as objdump shows them (nop, move, b, beqz, li, ...).
std::string disassemble(uint32_t word, uint32_t pc, AliasStyle style = AliasStyle::Aliases);

} // namespace isomorph::isa
