#pragma once

// Block discovery: the dynamic basic block that starts at a guest address, found on its first
// execution. A block starts at a jump target and ends after a branch or jump and its delay slot,
// after a trapping instruction (SYSCALL, BREAK, the conditional traps), after an instruction
// that always raises (reserved, privileged), at a page boundary, or at the size limit. All its
// instructions are on the page of its start but the last one, a delay slot, which may be on the next.
//
// A jump that always goes to one place on the same page without a link (b, j) does not end the
// block: it goes on at the target (a superblock), up to maximum_block_ranges runs of consecutive
// instructions and never through an instruction twice. Such a block's instructions are not
// contiguous: whatever maps an address to its place in a block goes through the ranges.
//
// Nor does a forward conditional branch (beq, bne, blez, bgtz, bltz, bgez; not the likely or
// linking forms), up to maximum_side_exits of them: the block goes on with the path the branch
// took most often while its basic block ran (BranchProfile): the taken path when it was taken at
// least two times in three, else the fall-through path; and leaves by a side exit when it goes
// the other way. A taken path is followed as a jump is (on the same page, counted among the
// runs). (A backward branch closes a loop: the block ends there, so that the loop is one block
// that branches to its own start; followed taken branches often make it one, as in a search loop
// whose first test usually fails.)

#include "engines/guest_range.h"
#include "isa/decoder.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace isomorph::memory {
class AddressSpace;
}

namespace isomorph::engines::jit {

struct GuestInstruction {
    uint32_t pc = 0;
    uint32_t word = 0;
    isa::DecodedInstruction decoded;
};

enum class BlockEnd : uint8_t {
    FallThrough, // the block stops before the next instruction (page boundary, size limit, trap)
    Branch,      // the last two instructions are a branch and its delay slot
};

// What discover_block finds: a basic block, which ends at the first branch, or a superblock,
// which goes on past jumps and forward branches (see above). The engine translates a basic block
// first and a superblock once the basic block is hot.
enum class BlockShape : uint8_t { Basic, Superblock };

// How a block's coprocessor 1 instructions know the FPU's mode: Status.CU1 and FR, and FCSR's
// rounding mode, flush-to-zero and Inexact-enable bits. Nearly all code runs in one mode, the
// common one: usable, 64-bit registers (FR = 1), round to nearest, no flush, no Inexact trap.
enum class FpuMode : uint8_t {
    // The block tests at its entry that the FPU is in the common mode and leaves unrun if it is
    // not; its instructions take it as given. (Nothing inside a block changes Status: in user
    // mode only system calls and signal delivery do, and both leave translated code; CTC1, which
    // sets FCSR's modes, makes the floating-point arithmetic after it in the block test them.)
    Common,
    // Each instruction tests the mode it needs: the translation of a block whose entry test failed.
    Tested,
};

struct GuestBlock {
    uint32_t start = 0;
    std::vector<GuestInstruction> instructions;
    BlockEnd end = BlockEnd::FallThrough;
    // A basic block whose last branch a superblock would go on past: worth translating again as
    // one when it is hot (the translated block counts down its entries).
    bool grows_when_hot = false;
    // How discover_block found it, and how its translation is to know the FPU's mode.
    BlockShape shape = BlockShape::Superblock;
    FpuMode fpu_mode = FpuMode::Common;

    // The address after the block's last instruction.
    uint32_t end_pc() const { return instructions.back().pc + 4; }
    // The runs of consecutive instructions, in the order the block runs them.
    std::vector<GuestRange> ranges() const;
};

// How often the conditional branch that ends a basic block went each way: the basic blocks that
// would grow as superblocks count until they are hot (engines/jit/emitter.h), by branch address.
struct BranchCounts {
    uint32_t taken = 0;
    uint32_t not_taken = 0;
};
using BranchProfile = std::unordered_map<uint32_t, BranchCounts>;

inline constexpr unsigned maximum_block_instructions = 96;
inline constexpr unsigned maximum_block_ranges = 4;
inline constexpr unsigned maximum_side_exits = 3;

// Where a PC-relative branch goes when it is taken.
inline uint32_t branch_target(const GuestInstruction& branch)
{
    return branch.pc + 4 + (static_cast<uint32_t>(branch.decoded.operands.imm) << 2);
}

// Whether instruction is a branch or jump that always goes to a fixed target, without a link (B,
// J); target is where.
bool follows_unconditionally(const GuestInstruction& instruction, uint32_t& target);

// Whether instruction is a conditional branch a block goes on past (see above).
bool may_continue_past(const GuestInstruction& instruction);

// Whether the block goes on at the target of the conditional branch at branch_index, rather than
// at its fall-through (the branch is not the block's last; its delay slot follows it).
bool continues_at_target(const GuestBlock& block, size_t branch_index);

// The guest may fetch from address: mapped, executable, aligned.
bool is_fetchable(const memory::AddressSpace& memory, uint32_t address);

// The block starting at pc. It is empty when the first instruction cannot be fetched or is a
// branch whose delay slot cannot be fetched; the engine then steps the reference interpreter,
// which raises the fetch fault exactly. A superblock follows the branches profile says are
// usually taken (none without a profile).
GuestBlock discover_block(const memory::AddressSpace& memory, uint32_t pc, BlockShape shape = BlockShape::Superblock,
                          const BranchProfile* profile = nullptr);

} // namespace isomorph::engines::jit
