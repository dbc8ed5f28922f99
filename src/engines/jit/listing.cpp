#include "engines/jit/listing.h"

#include "isa/disassembler.h"
#include "memory/address_space.h"

#include <capstone/capstone.h>
#include <fmt/format.h>

namespace isomorph::engines::jit {

std::string host_disassembly(const uint8_t* code, size_t size, uint64_t address)
{
    csh handle;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK)
        return "    (capstone unavailable)\n";
    std::string text;
    cs_insn* instructions = nullptr;
    size_t count = cs_disasm(handle, code, size, address, 0, &instructions);
    for (size_t index = 0; index < count; ++index)
        text += fmt::format("    {:4x}  {} {}\n", instructions[index].address, instructions[index].mnemonic,
                            instructions[index].op_str);
    if (count > 0)
        cs_free(instructions, count);
    cs_close(&handle);
    return text;
}

namespace {

std::string section(const Block& block, uint32_t from, uint32_t to)
{
    return host_disassembly(block.entry + from, to - from, from);
}

} // namespace

std::string host_code_of_instruction(const Block& block, size_t index)
{
    if (index + 1 >= block.instruction_offsets.size())
        return {};
    return section(block, block.instruction_offsets[index], block.instruction_offsets[index + 1]);
}

std::string host_code_of_entry(const Block& block)
{
    return block.instruction_offsets.empty() ? std::string() : section(block, 0, block.instruction_offsets[0]);
}

std::string block_listing(const Block& block, const memory::AddressSpace& memory)
{
    std::string text = "block ";
    for (const GuestRange& range : block.ranges)
        text += fmt::format("{}{:08x}..{:08x}", &range == &block.ranges.front() ? "" : ", ", range.start,
                            range.end);
    text += fmt::format(": {} instructions, {} host bytes at {}\n", block.length, block.host_size,
                        static_cast<const void*>(block.entry));
    if (block.instruction_offsets.empty())
        return text;
    text += "  entry:\n" + host_code_of_entry(block);
    for (size_t index = 0; index + 1 < block.instruction_offsets.size() && index < block.length; ++index) {
        uint32_t pc = block.pc_of(static_cast<uint32_t>(index));
        uint32_t word = memory.read<uint32_t>(pc);
        text += fmt::format("  {:08x}: {:08x}  {}\n", pc, word, isa::disassemble(word, pc));
        text += host_code_of_instruction(block, index);
    }
    text += "  exits:\n" + section(block, block.instruction_offsets.back(), block.host_size);
    return text;
}

} // namespace isomorph::engines::jit
