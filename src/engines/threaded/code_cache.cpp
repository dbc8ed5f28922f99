#include "engines/threaded/code_cache.h"

#include "engines/threaded/dispatch.h"
#include "isa/decoder.h"

#include <algorithm>
#include <stdexcept>
#include <sys/mman.h>

namespace isomorph::engines::threaded {

namespace {

constexpr uint64_t guest_page_count = uint64_t{1} << (32 - memory::AddressSpace::page_shift);
constexpr uint32_t page_offset_mask = memory::AddressSpace::page_size - 1;

std::atomic<uint64_t> next_serial{1};

// Where a direct branch or jump goes, computed as its semantics will (the dispatch loop checks
// the two agree before using the decoded target).
std::optional<uint32_t> static_target(const isa::InstructionInfo& row, const isa::Operands& operands, uint32_t pc)
{
    if (!row.has(isa::Branch) || row.has(isa::RegisterJump))
        return std::nullopt;
    if (row.syntax.find("jump") != std::string_view::npos)
        return ((pc + 4) & 0xF0000000) | (operands.jump_index() << 2);
    if (row.syntax.find("branch") != std::string_view::npos)
        return pc + 4 + (static_cast<uint32_t>(operands.imm) << 2);
    return std::nullopt;
}

// Decodes the page at base; returns how many entries got a superinstruction.
unsigned decode_page(DecodedPage& page, uint32_t base, const memory::AddressSpace& memory)
{
    const HandlerTable& handlers = handler_table();
    page.base = base;
    for (unsigned index = 0; index < DecodedPage::instruction_count; ++index) {
        DecodedInstruction& entry = page.entries[index];
        uint32_t pc = base + 4 * index;
        isa::DecodedInstruction decoded = isa::decode(memory.read<uint32_t>(pc));
        entry.operands = decoded.operands;
        entry.pc = pc;
        entry.opcode = decoded.opcode;
        entry.target = DecodedInstruction::no_target;
        entry.handler = handlers.normal[static_cast<unsigned>(decoded.opcode)];
        if (decoded.opcode == isa::Opcode::Reserved)
            continue;
        const isa::InstructionInfo& row = isa::info(decoded.opcode);
        if (!row.has(isa::Branch))
            continue;
        if (index == DecodedPage::instruction_count - 1) {
            // Its delay slot is in the next page: the reference interpreter runs the pair.
            entry.handler = handlers.step_slowly;
            continue;
        }
        if (auto target = static_target(row, decoded.operands, pc); target && (*target & ~page_offset_mask) == base)
            entry.target = static_cast<int16_t>((static_cast<int32_t>(*target) - static_cast<int32_t>(pc)) / 4);
    }
    DecodedInstruction& end = page.page_end();
    end.run_length = 0;
    end.operands = {};
    end.pc = base + memory::AddressSpace::page_size;
    end.opcode = isa::Opcode::Reserved;
    end.target = DecodedInstruction::no_target;
    end.handler = handlers.page_end;
    // Run lengths, from the page's end backwards: a run stops after the next branch's delay slot
    // (taken or not, the dispatch loop checks the budget there) or at the page's end.
    for (unsigned index = DecodedPage::instruction_count; index-- > 0;) {
        DecodedInstruction& entry = page.entries[index];
        unsigned to_page_end = DecodedPage::instruction_count - index;
        bool branch = entry.opcode != isa::Opcode::Reserved && isa::info(entry.opcode).has(isa::Branch);
        unsigned length = branch ? 2 : page.entries[index + 1].run_length + 1;
        entry.run_length = static_cast<uint16_t>(std::min(length, to_page_end));
    }
    // Superinstructions, where an entry and its successor run their normal handlers.
    unsigned pairs = 0;
    for (unsigned index = 0; index + 1 < DecodedPage::instruction_count; ++index) {
        DecodedInstruction& first = page.entries[index];
        const DecodedInstruction& second = page.entries[index + 1];
        if (first.handler != handlers.normal[static_cast<unsigned>(first.opcode)] ||
            second.handler != handlers.normal[static_cast<unsigned>(second.opcode)])
            continue;
        if (const void* pair = handlers.pair(first.opcode, second.opcode)) {
            first.handler = pair;
            ++pairs;
        }
    }
    return pairs;
}

} // namespace

// ---- ThreadCache ------------------------------------------------------------------------------------

ThreadCache::ThreadCache(CodeCache& shared) : m_shared(shared), m_reference(shared.memory())
{
    void* table = mmap(nullptr, guest_page_count * sizeof(std::atomic<DecodedPage*>), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (table == MAP_FAILED)
        throw std::runtime_error("cannot allocate the threaded interpreter's page table");
    // Zeroed memory is a table of null atomic pointers.
    m_pages = static_cast<std::atomic<DecodedPage*>*>(table);
}

ThreadCache::~ThreadCache()
{
    for (uint32_t number : m_decoded)
        delete m_pages[number].load(std::memory_order_relaxed);
    for (DecodedPage* page : m_retired)
        delete page;
    munmap(m_pages, guest_page_count * sizeof(std::atomic<DecodedPage*>));
}

DecodedInstruction* ThreadCache::lookup_slowly(uint32_t pc)
{
    if (pc & 3)
        return nullptr;
    uint32_t base = pc & ~page_offset_mask;
    uint32_t number = pc >> memory::AddressSpace::page_shift;
    memory::AddressSpace& memory = m_shared.memory();
    for (;;) {
        if (!memory.is_mapped(base) || !(memory.protection(base) & memory::ProtectionExecute))
            return nullptr;
        if (m_shared.is_uncacheable(number))
            return nullptr;
        uint64_t generation = m_shared.m_generation.load(std::memory_order_acquire);
        // Watch first, then read: a store from now on faults and bumps the generation.
        memory.watch_code(base);
        if (!memory.is_code_watched(base))
            return nullptr;
        auto page = std::make_unique<DecodedPage>();
        unsigned pairs = decode_page(*page, base, memory);
        std::lock_guard lock(m_shared.m_lock);
        if (m_shared.m_generation.load(std::memory_order_acquire) != generation || !memory.is_code_watched(base))
            continue; // something changed while we read the code: read it again
        DecodedInstruction* entry = &page->entries[(pc >> 2) & (DecodedPage::instruction_count - 1)];
        m_pages[number].store(page.release(), std::memory_order_release);
        m_decoded.insert(number);
        ++m_shared.m_statistics.pages_decoded;
        m_shared.m_statistics.superinstructions += pairs;
        return entry;
    }
}

uint64_t ThreadCache::drop(uint32_t first, uint64_t end)
{
    std::vector<uint32_t> numbers;
    if (end - first > m_decoded.size()) {
        for (uint32_t number : m_decoded)
            if (number >= first && number < end)
                numbers.push_back(number);
    } else {
        for (uint64_t number = first; number < end; ++number)
            if (m_pages[number].load(std::memory_order_relaxed) != nullptr)
                numbers.push_back(static_cast<uint32_t>(number));
    }
    const void* stale = handler_table().stale;
    for (uint32_t number : numbers) {
        DecodedPage* page = m_pages[number].exchange(nullptr, std::memory_order_acq_rel);
        if (page == nullptr)
            continue;
        for (DecodedInstruction& entry : page->entries)
            entry.store_handler(stale);
        m_retired.push_back(page);
        m_decoded.erase(number);
        m_has_retired.store(true, std::memory_order_release);
    }
    return numbers.size();
}

void ThreadCache::reclaim()
{
    if (!m_has_retired.load(std::memory_order_acquire))
        return;
    std::vector<DecodedPage*> retired;
    {
        std::lock_guard lock(m_shared.m_lock);
        retired.swap(m_retired);
        m_has_retired.store(false, std::memory_order_relaxed);
    }
    for (DecodedPage* page : retired)
        delete page;
}

size_t ThreadCache::decoded_page_count() const
{
    std::lock_guard lock(m_shared.m_lock);
    return m_decoded.size();
}

// ---- CodeCache ----------------------------------------------------------------------------------------

// The live code caches, so that a thread that ends can release its ThreadCache from each one
// still alive (and only those).
struct CodeCache::ThreadRegistry {
    static std::mutex& lock()
    {
        static std::mutex instance;
        return instance;
    }
    static std::unordered_map<uint64_t, CodeCache*>& live()
    {
        static std::unordered_map<uint64_t, CodeCache*> instance;
        return instance;
    }

    // The calling thread's caches, by code cache serial; released when the thread ends.
    struct Bindings {
        std::vector<std::pair<uint64_t, ThreadCache*>> entries;
        ~Bindings()
        {
            std::lock_guard guard(lock());
            for (auto& [serial, cache] : entries) {
                auto found = live().find(serial);
                if (found != live().end())
                    found->second->release(cache);
            }
        }
    };
    static Bindings& bindings()
    {
        static thread_local Bindings instance;
        return instance;
    }
};

CodeCache::CodeCache(memory::AddressSpace& memory) : m_memory(memory), m_serial(next_serial++)
{
    {
        std::lock_guard guard(ThreadRegistry::lock());
        ThreadRegistry::live()[m_serial] = this;
    }
    m_memory.add_code_listener(&CodeCache::code_changed, this);
}

CodeCache::~CodeCache()
{
    m_memory.remove_code_listener(this);
    std::lock_guard guard(ThreadRegistry::lock());
    ThreadRegistry::live().erase(m_serial);
}

// (Lock order: the registry, then a code cache's lock.)
void CodeCache::before_fork()
{
    ThreadRegistry::lock().lock();
    m_lock.lock();
}

void CodeCache::after_fork()
{
    m_lock.unlock();
    ThreadRegistry::lock().unlock();
}

ThreadCache& CodeCache::for_this_thread()
{
    auto& bindings = ThreadRegistry::bindings();
    for (auto& [serial, cache] : bindings.entries)
        if (serial == m_serial)
            return *cache;
    {
        // Forget bindings to code caches that no longer exist. (Lock order: the registry, then
        // a code cache's lock.)
        std::lock_guard guard(ThreadRegistry::lock());
        std::erase_if(bindings.entries, [](auto& entry) { return !ThreadRegistry::live().contains(entry.first); });
    }
    std::lock_guard lock(m_lock);
    auto& slot = m_threads[std::this_thread::get_id()];
    if (!slot)
        slot = std::make_unique<ThreadCache>(*this);
    bindings.entries.emplace_back(m_serial, slot.get());
    return *slot;
}

void CodeCache::release(ThreadCache* cache)
{
    std::unique_ptr<ThreadCache> released;
    std::lock_guard lock(m_lock);
    for (auto it = m_threads.begin(); it != m_threads.end(); ++it) {
        if (it->second.get() == cache) {
            released = std::move(it->second);
            m_threads.erase(it);
            break;
        }
    }
    // The ThreadCache's destructor takes no locks; it runs here, under m_lock, which keeps an
    // invalidation from touching it meanwhile.
}

bool CodeCache::is_uncacheable(uint32_t page_number)
{
    std::lock_guard lock(m_lock);
    auto found = m_uncacheable.find(page_number);
    if (found == m_uncacheable.end())
        return false;
    if (reference_instructions() < found->second)
        return true;
    m_uncacheable.erase(found);
    return false;
}

void CodeCache::code_changed(void* self, uint32_t address, uint32_t length)
{
    static_cast<CodeCache*>(self)->invalidate(address, length);
}

void CodeCache::invalidate(uint32_t address, uint32_t length)
{
    if (length == 0)
        return;
    uint32_t first = address >> memory::AddressSpace::page_shift;
    uint64_t end = (uint64_t{address} + length + page_offset_mask) >> memory::AddressSpace::page_shift;
    std::lock_guard lock(m_lock);
    m_generation.fetch_add(1, std::memory_order_acq_rel);
    uint64_t dropped = 0;
    for (auto& [thread, cache] : m_threads)
        dropped += cache->drop(first, end);
    if (dropped == 0)
        return;
    ++m_statistics.invalidations;
    m_statistics.pages_dropped += dropped;
    // A single page dropped again and again (guest stores into a page that also holds running
    // code) is not worth decoding for a while.
    if (end - first == 1) {
        uint32_t& count = m_invalidation_counts[first];
        if (++count >= uncacheable_after_invalidations) {
            count = uncacheable_after_invalidations / 2;
            m_uncacheable[first] = reference_instructions() + uncacheable_period;
            ++m_statistics.uncacheable_pages;
        }
    }
}

CodeCacheStatistics CodeCache::statistics()
{
    std::lock_guard lock(m_lock);
    CodeCacheStatistics statistics = m_statistics;
    statistics.threads = m_threads.size();
    return statistics;
}

} // namespace isomorph::engines::threaded
