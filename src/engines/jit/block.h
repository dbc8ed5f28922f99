#pragma once

// A translated block and its exits, as the code cache keeps them.

#include "engines/guest_range.h"
#include "engines/jit/context.h"
#include "engines/jit/frontend.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace isomorph::engines::jit {

struct Block;

// A place where translated code leaves a block. Every exit ends in a stub that stores the guest
// pc and returns this site to the dispatcher; a direct exit's stub can be patched into a jump
// straight to its destination block (chaining).
struct ExitSite {
    enum class Kind : uint8_t {
        Direct,   // a fixed destination: fall-through, a taken or untaken branch, J, JAL
        Indirect, // JR, JALR: the destination is in r13d; the site holds an inline cache
        Budget,   // the block did not run because the instruction budget would run out
        Hot,      // the block did not run: it is hot and should be translated again as a superblock
        FpuMode,  // the block did not run: the FPU is not in the mode it assumes (frontend.h: FpuMode)
    };
    static constexpr unsigned patch_size = 5; // jmp rel32
    // The patch starts at an 8-byte boundary, so that chaining and unchaining replace it with one
    // atomic store while another thread may be running the code.
    static constexpr unsigned patch_alignment = 8;

    Kind kind = Kind::Direct;
    uint32_t target = 0;
    Block* owner = nullptr;
    uint8_t* patch = nullptr; // the stub's first byte
    std::array<uint8_t, patch_size> original{};
    Block* linked_to = nullptr; // the block a chained direct exit jumps to (under the engine's lock)
    IndirectEntry cache;        // an indirect exit's inline cache: the last destination taken
    // A back edge of a self-loop: chained, it jumps here (the loop head inside its own block,
    // past the entry's checks) rather than to the block's entry.
    const uint8_t* loop_head = nullptr;
};

// Where a native memory access may fault, and what the guest state is there: the guest
// registers that host registers hold newer values of. A host fault at the access makes the
// CpuState exact at the instruction from this (JitEngine::complete_stopped_state).
struct FaultSite {
    uint32_t host_offset = 0; // of the access instruction, from the block's entry
    uint32_t pc = 0;
    uint8_t dirty_count = 0;
    // Guest register number and host register index (Xbyak's) of each dirty one.
    std::array<std::pair<uint8_t, uint8_t>, 8> dirty{};

    // Makes cpu the state of the access's instruction: its pc, and the dirty registers from the
    // host registers, whose values host_register(index) gives.
    template <class HostRegister> void restore(cpu::CpuState& cpu, HostRegister host_register) const
    {
        for (unsigned index = 0; index < dirty_count; ++index)
            cpu.gpr[dirty[index].first] = host_register(dirty[index].second);
        cpu.pc = pc;
    }
};

struct Block {
    uint32_t start = 0;
    // The guest code the block translates, in the order it runs (one range unless the block
    // follows a jump; engines/jit/frontend.h).
    std::vector<GuestRange> ranges;
    uint32_t length = 0;
    // How the block was discovered and how it knows the FPU's mode: a translation that replaces
    // it (as a superblock, or testing the mode) keeps the other.
    BlockShape shape = BlockShape::Superblock;
    FpuMode fpu_mode = FpuMode::Common;
    uint8_t* entry = nullptr;
    uint32_t host_size = 0;
    uint32_t native_instructions = 0; // translated without a helper call
    // Entries into the block, counted by its code when profiling (JitEngine::enable_profile).
    uint64_t executions = 0;
    // Entries left before a basic block that would grow as a superblock leaves by the hot exit.
    uint32_t countdown = 0;
    // The hot basic block this superblock replaced, whose entry jumps here (CodeCache::forward):
    // dropped with it.
    Block* replaced = nullptr;
    // Cleared when the block is invalidated (by any thread); the owning thread's map table then
    // forgets it on the next lookup.
    std::atomic<bool> live{true};
    std::vector<std::unique_ptr<ExitSite>> exits;
    // Chained exits of other blocks that jump here; undone when this block is invalidated. Under
    // the engine's lock.
    std::vector<ExitSite*> incoming;
    // Host code offset of each guest instruction, and of the exits after the last one.
    std::vector<uint32_t> instruction_offsets;
    std::vector<FaultSite> fault_sites; // in host-offset order

    // The address after the block's last instruction.
    uint32_t end() const { return ranges.back().end; }
    // How many of the block's instructions run before the one at pc (pc must be in the block).
    uint32_t index_of(uint32_t pc) const
    {
        uint32_t index = 0;
        for (const GuestRange& range : ranges) {
            if (range.contains(pc))
                return index + (pc - range.start) / 4;
            index += range.length();
        }
        return index;
    }
    // The guest address of the block's index-th instruction.
    uint32_t pc_of(uint32_t index) const
    {
        for (const GuestRange& range : ranges) {
            if (index < range.length())
                return range.start + 4 * index;
            index -= range.length();
        }
        return end();
    }
    // Whether the instruction at pc comes right after the one at pc - 4 in the block (so that it
    // is the delay slot of a branch there, if that is a branch).
    bool follows_previous(uint32_t pc) const
    {
        for (const GuestRange& range : ranges)
            if (range.contains(pc))
                return pc != range.start;
        return false;
    }
    const FaultSite* fault_site(uint32_t host_offset) const;
};

inline uint64_t JitContext::retired(uint32_t pc) const
{
    return limit - static_cast<uint64_t>(remaining) + block->index_of(pc);
}

} // namespace isomorph::engines::jit
