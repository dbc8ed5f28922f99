#include "engines/jit/frontend.h"

#include "memory/address_space.h"

namespace isomorph::engines::jit {

namespace {

GuestInstruction fetch(const memory::AddressSpace& memory, uint32_t pc)
{
    uint32_t word = memory.read<uint32_t>(pc);
    return GuestInstruction{pc, word, isa::decode(word)};
}

// Instructions after which the block cannot usefully continue: they always raise, or they
// raise depending on data and the environment must see the exit before anything else runs.
bool ends_block(const isa::InstructionInfo& info)
{
    return info.has(isa::Trapping) || info.has(isa::Privileged);
}

} // namespace

bool is_fetchable(const memory::AddressSpace& memory, uint32_t address)
{
    return (address & 3) == 0 && memory.is_mapped(address) &&
           (memory.protection(address) & memory::ProtectionExecute) != 0 &&
           (memory.protection(address) & memory::ProtectionRead) != 0;
}

GuestBlock discover_block(const memory::AddressSpace& memory, uint32_t pc)
{
    GuestBlock block;
    block.start = pc;
    if (!is_fetchable(memory, pc))
        return block;
    uint32_t page = pc >> memory::AddressSpace::page_shift;
    uint32_t address = pc;
    while (block.instructions.size() < maximum_block_instructions) {
        if ((address >> memory::AddressSpace::page_shift) != page)
            break; // a new page: a new block, so that each block watches the pages it reads
        GuestInstruction instruction = fetch(memory, address);
        if (instruction.decoded.opcode == isa::Opcode::Reserved) {
            block.instructions.push_back(instruction);
            break;
        }
        const isa::InstructionInfo& info = isa::info(instruction.decoded.opcode);
        if (info.has(isa::Branch)) {
            // The branch and its delay slot stay together, even across a page boundary.
            uint32_t slot = address + 4;
            if (block.instructions.size() + 2 > maximum_block_instructions || !is_fetchable(memory, slot))
                break;
            block.instructions.push_back(instruction);
            block.instructions.push_back(fetch(memory, slot));
            block.end = BlockEnd::Branch;
            break;
        }
        block.instructions.push_back(instruction);
        if (ends_block(info))
            break;
        address += 4;
    }
    return block;
}

} // namespace isomorph::engines::jit
