#pragma once

#include <cstdint>
#include <string>

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
    uint64_t indirect_inline_hits = 0;
    uint64_t indirect_hash_hits = 0;
    uint64_t indirect_misses = 0;     // register jumps resolved by the dispatcher
    uint64_t blocks_invalidated = 0;
    uint64_t cache_flushes = 0;
    uint64_t uncacheable_pages = 0;   // pages left to the interpreter after repeated invalidation
    uint64_t code_cache_bytes = 0;    // in use now
    uint64_t code_cache_capacity = 0;
    uint64_t interpreter_steps = 0;   // instructions the reference interpreter ran for the engine

    double indirect_hit_rate() const
    {
        uint64_t total = indirect_inline_hits + indirect_hash_hits + indirect_misses;
        return total == 0 ? 0.0 : static_cast<double>(indirect_inline_hits + indirect_hash_hits) / static_cast<double>(total);
    }

    std::string report() const;
};

} // namespace isomorph::engines::jit
