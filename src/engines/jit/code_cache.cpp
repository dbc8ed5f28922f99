#include "engines/jit/code_cache.h"

#include "memory/address_space.h"

#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <new>

namespace isomorph::engines::jit {

namespace {

constexpr size_t trampoline_area = 4096;

uint32_t page_of(uint32_t address) { return address >> memory::AddressSpace::page_shift; }

// Replaces the five bytes at patch with bytes in one atomic store of the aligned quadword that
// holds them, so that a thread running the code sees either the old or the new instruction.
void patch_atomically(uint8_t* patch, const uint8_t* bytes)
{
    static_assert(ExitSite::patch_size <= ExitSite::patch_alignment);
    auto* quadword = reinterpret_cast<uint64_t*>(patch);
    uint64_t value = __atomic_load_n(quadword, __ATOMIC_RELAXED);
    std::memcpy(&value, bytes, ExitSite::patch_size); // little-endian: the low bytes come first
    __atomic_store_n(quadword, value, __ATOMIC_RELEASE);
}

// Patches the code at patch into a jump to destination (jmp rel32, measured from the end of the
// five-byte instruction), in one atomic store.
void patch_jump(uint8_t* patch, const uint8_t* destination)
{
    uint8_t jump[ExitSite::patch_size];
    jump[0] = 0xE9;
    auto relative = static_cast<int32_t>(destination - (patch + ExitSite::patch_size));
    std::memcpy(jump + 1, &relative, sizeof relative);
    patch_atomically(patch, jump);
}

// Empties an indirect-cache entry for code that may be reading it on another thread: only the
// pc changes (to an odd address, which no destination has), so a reader that matched the old pc
// still finds the old host code, which stays in place.
void forget_entry(IndirectEntry& entry) { __atomic_store_n(&entry.pc, uint32_t{1}, __ATOMIC_RELEASE); }

constexpr size_t hash_table_bytes = sizeof(IndirectEntry) * hash_table_size;

// The hash table is zero pages until register jumps fill it: a process that runs briefly touches
// a few of its 16 pages, not all. An empty entry holds pc 0, which only a jump to address 0 could
// look up, in the first entry: that one holds the odd pc of IndirectEntry{} instead.
void empty_hash_table(IndirectEntry* table)
{
    table[0] = IndirectEntry{};
    static_assert(IndirectEntry{}.pc % 4 != 0 && ((0 >> 2) & hash_table_mask) == 0);
}

} // namespace

CodeCache::CodeCache(size_t capacity) : m_capacity(capacity)
{
    void* table = mmap(nullptr, hash_table_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (table == MAP_FAILED)
        throw std::bad_alloc();
    m_hash_table = static_cast<IndirectEntry*>(table);
    empty_hash_table(m_hash_table);
    void* memory = mmap(nullptr, m_capacity, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
        munmap(m_hash_table, hash_table_bytes);
        throw std::bad_alloc();
    }
    m_memory = static_cast<uint8_t*>(memory);
    m_trampolines = emit_trampolines(m_memory, trampoline_area);
    m_code_start = trampoline_area;
    m_used = m_code_start;
    m_budget_site.kind = ExitSite::Kind::Budget;
    m_hot_site.kind = ExitSite::Kind::Hot;
    m_fpu_mode_site.kind = ExitSite::Kind::FpuMode;
    m_dropped.reserve(1024);
}

CodeCache::~CodeCache()
{
    munmap(m_memory, m_capacity);
    munmap(m_hash_table, hash_table_bytes);
}

Block* CodeCache::translate(const GuestBlock& guest, JitStatistics& statistics)
{
    auto started = std::chrono::steady_clock::now();
    Runtime runtime{.exit_to_dispatcher = m_trampolines.exit_to_dispatcher,
                    .budget_site = &m_budget_site,
                    .instrument = m_instrument,
                    .hot_site = &m_hot_site,
                    .hot_threshold = m_hot_threshold,
                    .fpu_mode_site = &m_fpu_mode_site,
                    .branch_profile = &m_branch_profile};
    auto block = std::make_unique<Block>();
    if (!emit_block(guest, *block, m_memory + m_used, m_capacity - m_used, runtime)) {
        flush();
        ++statistics.cache_flushes;
        if (!emit_block(guest, *block, m_memory + m_used, m_capacity - m_used, runtime))
            return nullptr;
    }
    m_used += (block->host_size + 15) & ~size_t{15};
    Block* result = block.get();
    m_blocks.push_back(std::move(block));
    m_map[result->start] = result;
    for (const GuestRange& range : result->ranges) {
        for (uint32_t page = page_of(range.start); page <= page_of(range.end - 1); ++page) {
            std::vector<Block*>& blocks = m_blocks_by_page[page];
            if (blocks.empty() || blocks.back() != result)
                blocks.push_back(result);
        }
    }

    ++statistics.blocks_translated;
    statistics.guest_instructions_translated += result->length;
    statistics.native_instructions += result->native_instructions;
    statistics.host_bytes_emitted += result->host_size;
    statistics.translation_nanoseconds += static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count());
    return result;
}

bool CodeCache::link(ExitSite& site, Block& target)
{
    if (site.kind != ExitSite::Kind::Direct || site.linked_to || !target.live.load(std::memory_order_relaxed) ||
        !site.owner->live.load(std::memory_order_relaxed))
        return false;
    patch_jump(site.patch, site.loop_head && &target == site.owner ? site.loop_head : target.entry);
    site.linked_to = &target;
    target.incoming.push_back(&site);
    return true;
}

void CodeCache::unlink(ExitSite& site)
{
    if (!site.linked_to)
        return;
    patch_atomically(site.patch, site.original.data());
    site.linked_to = nullptr;
}

void CodeCache::remember_indirect(ExitSite& site, Block& destination)
{
    if (!destination.live.load(std::memory_order_relaxed))
        return;
    site.cache.pc = destination.start;
    site.cache.host = destination.entry;
    IndirectEntry& entry = m_hash_table[(destination.start >> 2) & hash_table_mask];
    entry.pc = destination.start;
    entry.host = destination.entry;
}

void CodeCache::drop(Block& block)
{
    block.live.store(false, std::memory_order_release);
    for (ExitSite* site : block.incoming)
        unlink(*site);
    block.incoming.clear();
    for (auto& site : block.exits) {
        if (Block* target = site->linked_to) {
            auto& incoming = target->incoming;
            incoming.erase(std::remove(incoming.begin(), incoming.end(), site.get()), incoming.end());
            unlink(*site);
        }
    }
    IndirectEntry& entry = m_hash_table[(block.start >> 2) & hash_table_mask];
    if (entry.host == block.entry)
        forget_entry(entry);
}

uint64_t CodeCache::invalidate(uint32_t address, uint32_t length)
{
    if (length == 0)
        return 0;
    uint64_t end = uint64_t{address} + length;
    std::vector<const uint8_t*>& dropped = m_dropped;
    dropped.clear();
    uint32_t first = page_of(address), last = page_of(static_cast<uint32_t>(end - 1));
    for (uint64_t page = first; page <= last; ++page) {
        auto found = m_blocks_by_page.find(static_cast<uint32_t>(page));
        if (found == m_blocks_by_page.end())
            continue;
        auto& blocks = found->second;
        for (Block* block : blocks) {
            bool overlaps =
                std::any_of(block->ranges.begin(), block->ranges.end(), [&](const GuestRange& range) {
                    return range.end > address && range.start < end;
                });
            if (!block->live || !overlaps)
                continue;
            drop(*block);
            dropped.push_back(block->entry);
            if (Block* basic = block->replaced; basic && basic->live.load(std::memory_order_relaxed)) {
                drop(*basic);
                dropped.push_back(basic->entry);
            }
        }
        blocks.erase(std::remove_if(blocks.begin(), blocks.end(), [](Block* block) { return !block->live; }),
                     blocks.end());
    }
    if (dropped.empty())
        return 0;
    // Inline caches of register jumps anywhere may point at a dropped block.
    std::sort(dropped.begin(), dropped.end());
    for (auto& block : m_blocks) {
        for (auto& site : block->exits)
            if (site->kind == ExitSite::Kind::Indirect &&
                std::binary_search(dropped.begin(), dropped.end(), site->cache.host))
                forget_entry(site->cache);
    }
    return dropped.size();
}

void CodeCache::forward(Block& from, Block& to)
{
    patch_jump(from.entry, to.entry);
    to.replaced = &from;
}

void CodeCache::flush()
{
    if (m_instrument)
        for (const auto& block : m_blocks)
            add_to_profile(m_flushed_profile, BlockProfile{block->start, block->length, block->executions});
    m_map.clear();
    m_blocks_by_page.clear();
    m_blocks.clear();
    m_branch_profile.clear();
    // Back to zero pages (private anonymous memory reads as zeros after MADV_DONTNEED).
    madvise(m_hash_table, hash_table_bytes, MADV_DONTNEED);
    empty_hash_table(m_hash_table);
    m_used = m_code_start;
    ++m_flushes;
}

void CodeCache::collect_profile(std::unordered_map<uint32_t, BlockProfile>& into) const
{
    for (const auto& [start, block] : m_flushed_profile)
        add_to_profile(into, block);
    for (const auto& block : m_blocks)
        add_to_profile(into, BlockProfile{block->start, block->length, block->executions});
}

const FaultSite* Block::fault_site(uint32_t host_offset) const
{
    auto found =
        std::lower_bound(fault_sites.begin(), fault_sites.end(), host_offset,
                         [](const FaultSite& site, uint32_t offset) { return site.host_offset < offset; });
    return found != fault_sites.end() && found->host_offset == host_offset ? &*found : nullptr;
}

const Block* CodeCache::block_containing(const uint8_t* host) const
{
    // Blocks are allocated one after the other: m_blocks is in the order of their addresses.
    auto after = std::upper_bound(m_blocks.begin(), m_blocks.end(), host,
                                  [](const uint8_t* address, const std::unique_ptr<Block>& block) { return address < block->entry; });
    if (after == m_blocks.begin())
        return nullptr;
    const Block& block = **std::prev(after);
    return host < block.entry + block.host_size ? &block : nullptr;
}

std::vector<const Block*> CodeCache::live_blocks() const
{
    std::vector<const Block*> blocks;
    for (auto& block : m_blocks)
        if (block->live)
            blocks.push_back(block.get());
    return blocks;
}

} // namespace isomorph::engines::jit
