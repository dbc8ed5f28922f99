#pragma once

// The code cache: executable memory for translated blocks, the map table from guest pc to block,
// the hash table register jumps consult, chaining (patching a direct exit into a jump to its
// destination) and unchaining, invalidation by guest address range, and the flush when full.
//
// Each host thread that runs guest code owns one CodeCache (engines/jit/jit_engine.h): only that
// thread runs its code, translates into it, looks blocks up and flushes it. Other threads only
// invalidate: under the engine's lock they mark blocks dead, unchain the jumps into them with
// atomic stores and clear the indirect caches that name them; they never free anything. So:
//   - lookup() and flush() are the owner's alone; lookup() needs no lock (invalidation does not
//     touch the map, it only clears Block::live, which lookup() checks);
//   - translate(), link(), remember_indirect(), flush() and invalidate() run under the engine's
//     lock, the owner's calls included, because they change what invalidation walks.

#include "engines/jit/block.h"
#include "engines/jit/emitter.h"
#include "engines/jit/frontend.h"
#include "engines/jit/statistics.h"

#include <cstddef>
#include <atomic>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace isomorph::engines::jit {

class CodeCache {
public:
    static constexpr size_t default_capacity = size_t{64} << 20;

    explicit CodeCache(size_t capacity = default_capacity);
    ~CodeCache();
    CodeCache(const CodeCache&) = delete;
    CodeCache& operator=(const CodeCache&) = delete;

    const Trampolines& trampolines() const { return m_trampolines; }
    ExitSite* budget_site() { return &m_budget_site; }
    // Basic blocks that would grow as superblocks leave by the hot exit after this many entries
    // (0: never; call it before the first translation).
    void set_hot_threshold(uint32_t entries) { m_hot_threshold = entries; }
    IndirectEntry* hash_table() { return m_hash_table; }
    // Which way the branches of basic blocks on their way to superblocks went (frontend.h); the
    // owning thread only. A flush forgets it with the code that counted.
    const BranchProfile& branch_profile() const { return m_branch_profile; }

    // The live block starting at pc, or null. The owning thread only.
    Block* lookup(uint32_t pc)
    {
        auto found = m_map.find(pc);
        if (found == m_map.end())
            return nullptr;
        if (!found->second->live.load(std::memory_order_acquire)) {
            m_map.erase(found);
            return nullptr;
        }
        return found->second;
    }

    // Translates guest into a new block, flushing the cache first if it is full. Only call it
    // from the dispatcher, never while translated code runs: a flush frees all code.
    Block* translate(const GuestBlock& guest, JitStatistics& statistics);

    // Patches site (a direct exit) to jump straight to target, unless either was dropped or the
    // site is chained already; says whether it did.
    bool link(ExitSite& site, Block& target);
    // Remembers destination as the site's inline-cache entry and in the hash table, unless it
    // was dropped.
    void remember_indirect(ExitSite& site, Block& destination);

    // Drops every block that holds an instruction in [address, address + length): marks it dead,
    // undoes the chains into it and forgets it in the indirect caches. Its code stays in place
    // until the owner's next flush, so this is safe while translated code runs, on this thread
    // (from a host fault handler) or on the owning one: a block that is running finishes
    // normally and then leaves through an unchained exit.
    uint64_t invalidate(uint32_t address, uint32_t length);

    // Forgets the block at pc in the map table (it stays live), so that the next lookup translates
    // again; for a hot basic block, whose superblock then replaces it through forward().
    void forget(uint32_t pc) { m_map.erase(pc); }
    // Patches from's entry into a jump to to's: whatever still reaches the old translation (a
    // chain, an inline cache, the hash table) runs the new one. Blocks start 16-byte aligned, so
    // the patch is one atomic store. The owning thread only, from the dispatcher.
    void forward(Block& from, Block& to);

    // Drops everything and reuses the memory.
    void flush();

    // Counts flushes: a pointer to a block or exit site taken before translate() is stale if
    // this changed. Only the owning thread flushes.
    uint64_t flushes() const { return m_flushes; }

    // Blocks count their executions and register jumps their cache hits from now on (call it
    // before the first translation).
    void instrument() { m_instrument = true; }
    // Adds the execution counts of every block translated so far, flushed ones included, to into
    // (by guest start address). The owner, or anyone once the owner has stopped running code.
    void collect_profile(std::unordered_map<uint32_t, BlockProfile>& into) const;

    size_t bytes_used() const { return m_used; }
    size_t capacity() const { return m_capacity; }

    // The block (live or dropped, not yet flushed) whose code holds host address, or null. The
    // owning thread only.
    const Block* block_containing(const uint8_t* host) const;
    // All live blocks, for the views.
    std::vector<const Block*> live_blocks() const;

private:
    void unlink(ExitSite& site);
    void drop(Block& block);

    uint8_t* m_memory = nullptr;
    size_t m_capacity = 0;
    size_t m_code_start = 0; // the trampolines come first and survive a flush
    size_t m_used = 0;
    uint64_t m_flushes = 0;
    Trampolines m_trampolines;
    ExitSite m_budget_site;
    ExitSite m_hot_site;
    ExitSite m_fpu_mode_site;
    uint32_t m_hot_threshold = 0;
    IndirectEntry* m_hash_table = nullptr; // hash_table_size entries, mapped by the constructor
    std::vector<std::unique_ptr<Block>> m_blocks;
    std::unordered_map<uint32_t, Block*> m_map;
    std::unordered_map<uint32_t, std::vector<Block*>> m_blocks_by_page;
    bool m_instrument = false;
    // invalidate()'s list of dropped entries, kept so that invalidating (often inside a SIGSEGV
    // handler) rarely allocates.
    std::vector<const uint8_t*> m_dropped;
    std::unordered_map<uint32_t, BlockProfile> m_flushed_profile; // counts of blocks flushed away
    BranchProfile m_branch_profile; // counted into by translated code: entries are never erased but by flush()
};

} // namespace isomorph::engines::jit
