#include "engines/jit/frontend.h"

#include "memory/address_space.h"

#include <algorithm>

namespace isomorph::engines::jit {

namespace {

// Reads the word at pc to translate it. Another thread may rewrite it at the same moment (a guest
// store, or the host loading code over it): the engine watches the page before it reads and
// throws the translation away if anything wrote to the page meanwhile (JitEngine::
// find_or_translate), so a torn or stale word is never run. That protocol is invisible to
// ThreadSanitizer, which would report the read as a race with the write; the read is a relaxed
// atomic load it does not instrument.
__attribute__((no_sanitize("thread"))) uint32_t read_code_word(const memory::AddressSpace& memory, uint32_t pc)
{
    return __atomic_load_n(reinterpret_cast<const uint32_t*>(memory.host_base() + pc), __ATOMIC_RELAXED);
}

GuestInstruction fetch(const memory::AddressSpace& memory, uint32_t pc)
{
    uint32_t word = read_code_word(memory, pc);
    return GuestInstruction{pc, word, isa::decode(word)};
}

// Instructions after which the block cannot usefully continue: they always raise, or they
// raise depending on data and the environment must see the exit before anything else runs.
bool ends_block(const isa::InstructionInfo& info)
{
    return info.has(isa::Trapping) || info.has(isa::Privileged);
}

bool holds(const GuestBlock& block, uint32_t pc)
{
    return std::any_of(block.instructions.begin(), block.instructions.end(),
                       [&](const GuestInstruction& instruction) { return instruction.pc == pc; });
}

// Taken at least two times in three: a branch that goes either way about as often gains nothing
// from the longer path, and its side exit would be taken as often as now.
bool usually_taken(const BranchProfile* profile, uint32_t branch_pc)
{
    if (profile == nullptr)
        return false;
    auto found = profile->find(branch_pc);
    return found != profile->end() && found->second.taken > 2 * uint64_t{found->second.not_taken};
}

} // namespace

bool follows_unconditionally(const GuestInstruction& instruction, uint32_t& target)
{
    const isa::Operands& o = instruction.decoded.operands;
    switch (instruction.decoded.opcode) {
    case isa::Opcode::BEQ: // b offset: beq with the same register twice
        if (o.rs != o.rt)
            return false;
        target = branch_target(instruction);
        return true;
    case isa::Opcode::J: target = ((instruction.pc + 4) & 0xF0000000u) | (o.jump_index() << 2); return true;
    default: return false;
    }
}

bool may_continue_past(const GuestInstruction& instruction)
{
    const isa::Operands& o = instruction.decoded.operands;
    switch (instruction.decoded.opcode) {
    case isa::Opcode::BEQ:
        if (o.rs == o.rt)
            return false; // b
        [[fallthrough]];
    case isa::Opcode::BNE: case isa::Opcode::BLEZ: case isa::Opcode::BGTZ: case isa::Opcode::BLTZ:
    case isa::Opcode::BGEZ:
        return o.imm > 0;
    default: return false;
    }
}

bool is_fetchable(const memory::AddressSpace& memory, uint32_t address)
{
    return (address & 3) == 0 && memory.is_mapped(address) &&
           (memory.protection(address) & memory::ProtectionExecute) != 0 &&
           (memory.protection(address) & memory::ProtectionRead) != 0;
}

bool continues_at_target(const GuestBlock& block, size_t branch_index)
{
    const GuestInstruction& branch = block.instructions[branch_index];
    return branch_index + 2 < block.instructions.size() && block.instructions[branch_index + 2].pc != branch.pc + 8;
}

std::vector<GuestRange> GuestBlock::ranges() const
{
    std::vector<GuestRange> result;
    for (const GuestInstruction& instruction : instructions) {
        if (result.empty() || result.back().end != instruction.pc)
            result.push_back(GuestRange{instruction.pc, instruction.pc});
        result.back().end = instruction.pc + 4;
    }
    return result;
}

GuestBlock discover_block(const memory::AddressSpace& memory, uint32_t pc, BlockShape shape,
                          const BranchProfile* profile)
{
    GuestBlock block;
    block.start = pc;
    block.shape = shape;
    if (!is_fetchable(memory, pc))
        return block;
    uint32_t page = pc >> memory::AddressSpace::page_shift;
    uint32_t address = pc;
    unsigned ranges = 1, side_exits = 0;
    // Whether the last instructions are a branch the block went on past and its delay slot.
    bool went_past = false;
    while (block.instructions.size() < maximum_block_instructions) {
        // A new page: a new block, so that each block watches few pages. A block that followed a
        // jump stops where it would run into its own instructions.
        if ((address >> memory::AddressSpace::page_shift) != page || (ranges > 1 && holds(block, address)))
            break;
        GuestInstruction instruction = fetch(memory, address);
        if (instruction.decoded.opcode == isa::Opcode::Reserved) {
            block.instructions.push_back(instruction);
            went_past = false;
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
            went_past = false;
            // A jump that always goes to the same place on the same page (b, j) is followed: the
            // block goes on at its target, so that a loop closed by one, or a chain of blocks
            // joined by them, runs without leaving translated code.
            uint32_t target = 0;
            bool slot_is_branch = isa::info(block.instructions.back().decoded.opcode).has(isa::Branch);
            if (shape == BlockShape::Basic) {
                block.end = BlockEnd::Branch;
                block.grows_when_hot =
                    (follows_unconditionally(instruction, target) || may_continue_past(instruction)) && !slot_is_branch;
                break;
            }
            auto can_go_to = [&](uint32_t destination) {
                return ranges < maximum_block_ranges && (slot >> memory::AddressSpace::page_shift) == page &&
                       (destination >> memory::AddressSpace::page_shift) == page && (destination & 3) == 0 &&
                       !slot_is_branch && !holds(block, destination);
            };
            if (follows_unconditionally(instruction, target) && can_go_to(target)) {
                address = target;
                ++ranges;
                went_past = true;
                continue;
            }
            // A forward conditional branch: the block goes on with the path it took most often and
            // leaves by a side exit when it goes the other way; unless it goes back into the block
            // (to its start, after a jump the block followed): then it closes a loop, and ends the
            // block.
            if (may_continue_past(instruction) && side_exits < maximum_side_exits && !slot_is_branch &&
                !holds(block, branch_target(instruction))) {
                bool taken = usually_taken(profile, instruction.pc) && branch_target(instruction) != slot + 4 &&
                             can_go_to(branch_target(instruction));
                address = taken ? branch_target(instruction) : slot + 4;
                ranges += taken ? 1 : 0;
                ++side_exits;
                went_past = true;
                continue;
            }
            block.end = BlockEnd::Branch;
            break;
        }
        block.instructions.push_back(instruction);
        went_past = false;
        if (ends_block(info))
            break;
        address += 4;
    }
    // Nothing came after the branch the block meant to go on past (the size limit, a page, its
    // own code): the block ends with that branch.
    if (went_past)
        block.end = BlockEnd::Branch;
    return block;
}

} // namespace isomorph::engines::jit
