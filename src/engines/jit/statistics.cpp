#include "engines/jit/statistics.h"

#include <algorithm>

#include <fmt/format.h>

namespace isomorph::engines::jit {

std::string JitStatistics::report() const
{
    std::string text;
    text += fmt::format("jit: {} blocks translated ({} guest instructions, {} native, {} host bytes) in {:.3f} ms\n",
                        blocks_translated, guest_instructions_translated, native_instructions, host_bytes_emitted,
                        static_cast<double>(translation_nanoseconds) / 1e6);
    text += fmt::format("jit: {} hot blocks translated again as superblocks, {} blocks to test an uncommon FPU mode\n",
                        hot_blocks, fpu_mode_blocks);
    text += fmt::format("jit: {} exits chained, {} exits through the dispatcher\n", chained_exits, unchained_exits);
    if (register_jumps_counted)
        text += fmt::format("jit: register jumps: {} inline-cache hits, {} hash-table hits, {} misses ({:.1f}% hit rate)\n",
                            indirect_inline_hits, indirect_hash_hits, indirect_misses, 100.0 * indirect_hit_rate());
    else
        text += fmt::format("jit: register jumps: {} misses (hits are counted with --profile)\n", indirect_misses);
    text += fmt::format("jit: code cache {} of {} bytes, {} flushes, {} blocks invalidated, {} pages left to the "
                        "interpreter\n",
                        code_cache_bytes, code_cache_capacity, cache_flushes, blocks_invalidated, uncacheable_pages);
    text += fmt::format("jit: {} instructions run by the reference interpreter ({} in blocks not translated yet)\n",
                        interpreter_steps, cold_steps);
    return text;
}

} // namespace isomorph::engines::jit

namespace isomorph::engines::jit {

void add_to_profile(std::unordered_map<uint32_t, BlockProfile>& profile, const BlockProfile& block)
{
    BlockProfile& entry = profile[block.start];
    entry.start = block.start;
    entry.length = std::max(entry.length, block.length);
    entry.executions += block.executions;
}

std::string profile_report(const std::vector<BlockProfile>& blocks, size_t top,
                           const std::function<std::string(uint32_t)>& describe)
{
    auto weight = [](const BlockProfile& block) { return block.executions * block.length; };
    std::vector<BlockProfile> sorted = blocks;
    std::sort(sorted.begin(), sorted.end(), [&](const BlockProfile& a, const BlockProfile& b) {
        return weight(a) != weight(b) ? weight(a) > weight(b) : a.start < b.start;
    });
    uint64_t total = 0, executions = 0;
    for (const BlockProfile& block : sorted) {
        total += weight(block);
        executions += block.executions;
    }
    std::string text = fmt::format("profile: {} blocks, {} block executions, {} guest instructions in translated code\n",
                                   sorted.size(), executions, total);
    text += fmt::format("profile: {:>8}  {:>6}  {:>14}  {:>12}  {}\n", "address", "share", "instructions", "executions",
                        "symbol");
    for (size_t index = 0; index < sorted.size() && index < top; ++index) {
        const BlockProfile& block = sorted[index];
        if (block.executions == 0)
            break;
        double share = total == 0 ? 0.0 : 100.0 * static_cast<double>(weight(block)) / static_cast<double>(total);
        std::string name = describe(block.start);
        text += fmt::format("profile: {:08x}  {:5.1f}%  {:>14}  {:>12}  {}\n", block.start, share, weight(block),
                            block.executions, name.empty() ? "?" : name);
    }
    return text;
}

} // namespace isomorph::engines::jit
