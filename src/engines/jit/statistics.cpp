#include "engines/jit/statistics.h"

#include <fmt/format.h>

namespace isomorph::engines::jit {

std::string JitStatistics::report() const
{
    std::string text;
    text += fmt::format("jit: {} blocks translated ({} guest instructions, {} native, {} host bytes) in {:.3f} ms\n",
                        blocks_translated, guest_instructions_translated, native_instructions, host_bytes_emitted,
                        static_cast<double>(translation_nanoseconds) / 1e6);
    text += fmt::format("jit: {} exits chained, {} exits through the dispatcher\n", chained_exits, unchained_exits);
    text += fmt::format("jit: register jumps: {} inline-cache hits, {} hash-table hits, {} misses ({:.1f}% hit rate)\n",
                        indirect_inline_hits, indirect_hash_hits, indirect_misses, 100.0 * indirect_hit_rate());
    text += fmt::format("jit: code cache {} of {} bytes, {} flushes, {} blocks invalidated, {} pages left to the "
                        "interpreter\n",
                        code_cache_bytes, code_cache_capacity, cache_flushes, blocks_invalidated, uncacheable_pages);
    text += fmt::format("jit: {} instructions run by the reference interpreter\n", interpreter_steps);
    return text;
}

} // namespace isomorph::engines::jit
