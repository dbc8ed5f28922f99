#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace isomorph::engines::jit {

// What the translator has done, for --profile style reports and the tests.
struct JitStatistics {
    uint64_t blocks_translated = 0;
    uint64_t guest_instructions_translated = 0;
    uint64_t native_instructions = 0; // translated with a native fast path (the rest call helpers)
    uint64_t host_bytes_emitted = 0;
    uint64_t translation_nanoseconds = 0;
    uint64_t chained_exits = 0;       // direct exits patched to jump straight to their destination
    uint64_t unchained_exits = 0;     // exits that came back to the dispatcher
    bool register_jumps_counted = false; // the hits below are counted only when profiling
    uint64_t indirect_inline_hits = 0;
    uint64_t indirect_hash_hits = 0;
    uint64_t indirect_misses = 0;     // register jumps resolved by the dispatcher
    uint64_t hot_blocks = 0;          // basic blocks translated again as superblocks
    uint64_t fpu_mode_blocks = 0;     // blocks translated again to test the FPU's mode (frontend.h: FpuMode)
    uint64_t blocks_invalidated = 0;
    uint64_t cache_flushes = 0;
    uint64_t uncacheable_pages = 0;   // pages left to the interpreter after repeated invalidation
    uint64_t code_cache_bytes = 0;    // in use now
    uint64_t code_cache_capacity = 0;
    uint64_t interpreter_steps = 0;   // instructions the reference interpreter ran for the engine
    uint64_t cold_steps = 0;          // of those, in blocks not translated yet (staged emulation)

    double indirect_hit_rate() const
    {
        uint64_t total = indirect_inline_hits + indirect_hash_hits + indirect_misses;
        return total == 0 ? 0.0 : static_cast<double>(indirect_inline_hits + indirect_hash_hits) / static_cast<double>(total);
    }

    std::string report() const;
};

// How often a guest block ran (JitEngine::profile): over every translation of the block that
// starts at start.
struct BlockProfile {
    uint32_t start = 0;
    uint32_t length = 0; // guest instructions
    uint64_t executions = 0;
};

// Adds block's executions to the entry for its start address in profile.
void add_to_profile(std::unordered_map<uint32_t, BlockProfile>& profile, const BlockProfile& block);

// The --profile report: the top blocks by guest instructions run (executions × length), each
// with its address, the name describe() gives it (may be empty) and its execution count.
std::string profile_report(const std::vector<BlockProfile>& blocks, size_t top,
                           const std::function<std::string(uint32_t)>& describe);

} // namespace isomorph::engines::jit
