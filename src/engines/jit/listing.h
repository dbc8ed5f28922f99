#pragma once

// Views of translated code: a block's guest disassembly (isa::disassemble) beside the host code
// each guest instruction became (Capstone).

#include "engines/jit/block.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace isomorph::memory {
class AddressSpace;
}

namespace isomorph::engines::jit {

// Host instructions, one a line, with addresses counted from address.
std::string host_disassembly(const uint8_t* code, size_t size, uint64_t address);

// The host code of guest instruction index of block (offsets from the block's entry).
std::string host_code_of_instruction(const Block& block, size_t index);
// The host code of block's entry, before its first instruction: the tests whether it runs.
std::string host_code_of_entry(const Block& block);

// The whole block: entry, then each guest instruction followed by its host code, then the exits.
std::string block_listing(const Block& block, const memory::AddressSpace& memory);

} // namespace isomorph::engines::jit
