#pragma once

// The threaded interpreter's decoded-code cache.
//
// Thread safety by design: every host thread that runs guest code has its own ThreadCache (its
// own page table and decoded pages), so the dispatch loop never takes a lock and never sees a page
// freed under it. What threads share is the CodeCache: one lock, the list of thread caches, and
// the bookkeeping of invalidations. Invalidation, on whichever thread it happens (a guest store
// faulting on a watched page, munmap, mprotect), drops the pages from every thread cache under
// that lock: it unpublishes the page and points each entry's handler at the dispatch function's
// "stale" label (relaxed atomic stores, read with relaxed atomic loads), so a thread still running
// in the page leaves it at its next instruction. Only the owning thread frees a dropped page, at
// a point where it runs no decoded code (ThreadCache::reclaim).
//
// A page gets decoded code only after it is watched (AddressSpace::watch_code), and the decoding
// is published only if no invalidation happened meanwhile, so a write can never slip in between
// reading the code and publishing it.

#include "engines/interp/interpreter.h"
#include "engines/threaded/decoded.h"
#include "engines/threaded/threaded_core.h"
#include "memory/address_space.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace isomorph::engines::threaded {

class CodeCache;

struct CodeCacheStatistics {
    uint64_t pages_decoded = 0;     // decodings published, over all threads
    uint64_t pages_dropped = 0;     // decoded pages dropped by invalidations
    uint64_t invalidations = 0;     // invalidation requests that dropped something
    uint64_t uncacheable_pages = 0; // times a page was left to the reference interpreter
    uint64_t superinstructions = 0; // decoded entries that got a superinstruction's handler
    uint64_t threads = 0;           // thread caches alive
};

class ThreadCache {
public:
    explicit ThreadCache(CodeCache& shared);
    ~ThreadCache();
    ThreadCache(const ThreadCache&) = delete;
    ThreadCache& operator=(const ThreadCache&) = delete;

    // The decoded instruction for pc if its page is decoded already.
    DecodedInstruction* find(uint32_t pc) const
    {
        DecodedPage* page = m_pages[pc >> memory::AddressSpace::page_shift].load(std::memory_order_acquire);
        if (page == nullptr || (pc & 3) != 0)
            return nullptr;
        return &page->entries[(pc >> 2) & (DecodedPage::instruction_count - 1)];
    }

    // The decoded instruction for pc, decoding its page if needed. Nothing when pc is misaligned,
    // its page is not executable or is left to the reference interpreter: the caller lets the
    // reference interpreter run it, which raises the right exception.
    DecodedInstruction* lookup(uint32_t pc)
    {
        if (DecodedInstruction* found = find(pc))
            return found;
        return lookup_slowly(pc);
    }

    // Frees the pages dropped since the last call. Only the owning thread calls it, while it runs
    // no decoded code.
    void reclaim();

    // Number of pages this thread has decoded code for.
    size_t decoded_page_count() const;

    DispatchContext& context() { return m_context; }
    Interpreter& reference() { return m_reference; }

private:
    friend class CodeCache;

    DecodedInstruction* lookup_slowly(uint32_t pc);
    // Under the shared lock: drops the pages numbered [first, end).
    uint64_t drop(uint32_t first, uint64_t end);

    CodeCache& m_shared;
    std::atomic<DecodedPage*>* m_pages; // one slot per guest page, 2^20 of them
    // Under the shared lock:
    std::unordered_set<uint32_t> m_decoded;  // numbers of the pages in m_pages
    std::vector<DecodedPage*> m_retired;     // dropped, not yet freed
    std::atomic<bool> m_has_retired{false};  // m_retired is not empty (read without the lock)
    DispatchContext m_context;
    Interpreter m_reference;
};

class CodeCache {
public:
    explicit CodeCache(memory::AddressSpace& memory);
    ~CodeCache();
    CodeCache(const CodeCache&) = delete;
    CodeCache& operator=(const CodeCache&) = delete;

    // The calling thread's cache, created on first use and released when the thread ends.
    ThreadCache& for_this_thread();

    // Drops decoded code for [address, address + length) in every thread's cache.
    void invalidate(uint32_t address, uint32_t length);

    // Engine::before_fork and after_fork: the locks another guest thread may hold.
    void before_fork();
    void after_fork();

    memory::AddressSpace& memory() { return m_memory; }
    CodeCacheStatistics statistics();

    // A page whose code is dropped this often holds code and data that change all the time, and
    // decoding it again and again would cost more than it saves: it is left to the reference
    // interpreter until that has run uncacheable_period more instructions (for this engine), then
    // decoded again; half as many drops mark it again.
    static constexpr uint32_t uncacheable_after_invalidations = 64;
    static constexpr uint64_t uncacheable_period = uint64_t{1} << 20;

    // Instructions the reference interpreter ran for this engine, over all threads.
    void count_reference_instructions(uint64_t count) { m_reference_instructions.fetch_add(count, std::memory_order_relaxed); }
    uint64_t reference_instructions() const { return m_reference_instructions.load(std::memory_order_relaxed); }

private:
    friend class ThreadCache;
    struct ThreadRegistry;

    static void code_changed(void* self, uint32_t address, uint32_t length);
    void release(ThreadCache* cache);
    bool is_uncacheable(uint32_t page_number);

    memory::AddressSpace& m_memory;
    const uint64_t m_serial;
    std::mutex m_lock;
    // Counts invalidations; a decoding is published only if it did not change meanwhile.
    std::atomic<uint64_t> m_generation{0};
    std::unordered_map<std::thread::id, std::unique_ptr<ThreadCache>> m_threads;
    std::unordered_map<uint32_t, uint32_t> m_invalidation_counts; // page number -> drops
    std::unordered_map<uint32_t, uint64_t> m_uncacheable; // page number -> retry after this many
                                                          // reference instructions
    std::atomic<uint64_t> m_reference_instructions{0};
    CodeCacheStatistics m_statistics;
};

} // namespace isomorph::engines::threaded
