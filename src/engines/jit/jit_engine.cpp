#include "engines/jit/jit_engine.h"

#include "cpu/fpu_arithmetic.h"
#include "engines/jit/helpers.h"
#include "engines/jit/listing.h"
#include "engines/jit/planted_divergence.h"
#include "memory/address_space.h"
#include "memory/host_fault.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

namespace isomorph::engines {

using namespace jit;

namespace {

bool environment_flag(const char* name)
{
    const char* value = std::getenv(name);
    return value && *value && std::strcmp(value, "0") != 0;
}

std::atomic<uint64_t> next_serial{1};

// A counter with one writer (the owning thread) that other threads may read.
struct OwnedCounter {
    std::atomic<uint64_t> value{0};
    void add(uint64_t amount) { value.store(value.load(std::memory_order_relaxed) + amount, std::memory_order_relaxed); }
    uint64_t get() const { return value.load(std::memory_order_relaxed); }
};

// Translated code bumps these with plain increments on the owning thread.
uint64_t read_generated_counter(const uint64_t& counter) { return __atomic_load_n(&counter, __ATOMIC_RELAXED); }

} // namespace

struct JitEngine::Translator {
    explicit Translator(size_t capacity) : code_cache(capacity) {}

    CodeCache code_cache;
    JitContext context;
    JitStatistics statistics; // what translate() and link() count, under the engine's lock
    OwnedCounter unchained_exits;
    OwnedCounter indirect_misses;
    OwnedCounter interpreter_steps;
    OwnedCounter cold_steps; // of interpreter_steps, those in blocks not translated yet
    // Staged emulation: how often the dispatcher reached each untranslated block start.
    std::unordered_map<uint32_t, uint32_t> cold_entries;
};

// The live engines, so that a host thread that ends can release its translator from each engine
// still alive (and only those). Lock order: the registry's lock, then an engine's.
struct JitEngine::Registry {
    static std::mutex& lock()
    {
        static std::mutex instance;
        return instance;
    }
    static std::unordered_map<uint64_t, JitEngine*>& engines()
    {
        static std::unordered_map<uint64_t, JitEngine*> instance;
        return instance;
    }
    // The calling thread's translators, by engine serial; released when the thread ends.
    struct ThreadTranslators {
        std::vector<std::pair<uint64_t, Translator*>> entries;
        ~ThreadTranslators()
        {
            std::lock_guard guard(lock());
            for (auto& [serial, translator] : entries)
                if (auto found = engines().find(serial); found != engines().end())
                    found->second->release(translator);
        }
    };
    static ThreadTranslators& of_this_thread()
    {
        static thread_local ThreadTranslators instance;
        return instance;
    }
};

JitEngine::JitEngine(memory::AddressSpace& memory, size_t code_cache_capacity)
    : m_memory(memory), m_code_cache_capacity(code_cache_capacity), m_serial(next_serial++), m_interpreter(memory)
{
    m_dump = environment_flag("ISOMORPH_JIT_DUMP");
    m_print_statistics = environment_flag("ISOMORPH_JIT_STATISTICS");
    if (const char* threshold = std::getenv("ISOMORPH_JIT_HOT_THRESHOLD"); threshold && *threshold)
        m_hot_threshold = static_cast<uint32_t>(std::strtoul(threshold, nullptr, 10));
    if (const char* threshold = std::getenv("ISOMORPH_JIT_TRANSLATE_THRESHOLD"); threshold && *threshold)
        set_translate_threshold(static_cast<uint32_t>(std::strtoul(threshold, nullptr, 10)));
    if (environment_flag("ISOMORPH_JIT_PERF_MAP"))
        m_perf_map = std::fopen(fmt::format("/tmp/perf-{}.map", getpid()).c_str(), "a");
    {
        std::lock_guard guard(Registry::lock());
        Registry::engines()[m_serial] = this;
    }
    m_memory.add_code_listener(&JitEngine::code_changed, this);
}

JitEngine::~JitEngine()
{
    m_memory.remove_code_listener(this);
    {
        std::lock_guard guard(Registry::lock());
        Registry::engines().erase(m_serial);
    }
    if (m_print_statistics)
        std::fputs(statistics().report().c_str(), stderr);
    if (m_perf_map)
        std::fclose(m_perf_map);
}

JitEngine::Translator& JitEngine::for_this_thread()
{
    // The last translator this thread used, the common case: one engine per process.
    static thread_local uint64_t last_serial = 0;
    static thread_local Translator* last_translator = nullptr;
    if (last_serial == m_serial)
        return *last_translator;
    auto& mine = Registry::of_this_thread();
    Translator* translator = nullptr;
    for (auto& [serial, entry] : mine.entries)
        if (serial == m_serial)
            translator = entry;
    if (translator == nullptr) {
        std::lock_guard guard(Registry::lock());
        // Forget translators of engines that no longer exist.
        std::erase_if(mine.entries, [](auto& entry) { return !Registry::engines().contains(entry.first); });
        std::lock_guard lock(m_lock);
        auto& slot = m_threads[std::this_thread::get_id()];
        if (!slot) {
            slot = std::make_unique<Translator>(m_code_cache_capacity);
            if (m_profile || m_print_statistics)
                slot->code_cache.instrument();
            slot->code_cache.set_hot_threshold(m_hot_threshold);
            slot->context.memory = &m_memory;
            slot->context.host_base = m_memory.host_base();
            slot->context.hash_table = slot->code_cache.hash_table();
        }
        translator = slot.get();
        mine.entries.emplace_back(m_serial, translator);
    }
    last_serial = m_serial;
    last_translator = translator;
    return *translator;
}

void JitEngine::add_statistics(JitStatistics& totals, const Translator& translator)
{
    const JitStatistics& own = translator.statistics;
    totals.blocks_translated += own.blocks_translated;
    totals.guest_instructions_translated += own.guest_instructions_translated;
    totals.native_instructions += own.native_instructions;
    totals.host_bytes_emitted += own.host_bytes_emitted;
    totals.translation_nanoseconds += own.translation_nanoseconds;
    totals.chained_exits += own.chained_exits;
    totals.hot_blocks += own.hot_blocks;
    totals.fpu_mode_blocks += own.fpu_mode_blocks;
    totals.cache_flushes += own.cache_flushes;
    totals.unchained_exits += translator.unchained_exits.get();
    totals.indirect_misses += translator.indirect_misses.get();
    totals.interpreter_steps += translator.interpreter_steps.get();
    totals.cold_steps += translator.cold_steps.get();
    totals.indirect_inline_hits += read_generated_counter(translator.context.inline_cache_hits);
    totals.indirect_hash_hits += read_generated_counter(translator.context.hash_table_hits);
}

void JitEngine::release(Translator* translator)
{
    std::unique_ptr<Translator> released;
    std::lock_guard lock(m_lock);
    for (auto it = m_threads.begin(); it != m_threads.end(); ++it) {
        if (it->second.get() == translator) {
            add_statistics(m_totals, *translator);
            translator->code_cache.collect_profile(m_released_profile);
            released = std::move(it->second);
            m_threads.erase(it);
            break;
        }
    }
    // The translator is freed here, under m_lock, so that no invalidation walks it meanwhile.
    // The thread that owned it is ending: none of its code runs any more.
}

// fork() in one guest thread while another translates or ends: the child must not inherit a lock
// that no thread of its own will ever release. (Lock order: the registry, then the engine's.)
void JitEngine::before_fork()
{
    Registry::lock().lock();
    m_lock.lock();
}

void JitEngine::after_fork()
{
    m_lock.unlock();
    Registry::lock().unlock();
}

void JitEngine::code_changed(void* self, uint32_t address, uint32_t length)
{
    static_cast<JitEngine*>(self)->drop_code(address, length, true);
}

void JitEngine::drop_code(uint32_t address, uint32_t length, bool count_towards_uncacheable)
{
    std::lock_guard lock(m_lock);
    m_generation.fetch_add(1, std::memory_order_acq_rel);
    uint64_t dropped = 0;
    for (auto& [thread, translator] : m_threads)
        dropped += translator->code_cache.invalidate(address, length);
    m_totals.blocks_invalidated += dropped;
    if (!count_towards_uncacheable || dropped == 0 || length > memory::AddressSpace::page_size)
        return;
    uint32_t page = address >> memory::AddressSpace::page_shift;
    if (++m_invalidations_per_page[page] >= uncacheable_after_invalidations && m_uncacheable_pages.insert(page).second) {
        ++m_totals.uncacheable_pages;
        m_uncacheable_count.store(m_uncacheable_pages.size(), std::memory_order_relaxed);
    }
}

bool JitEngine::is_uncacheable(uint32_t pc)
{
    if (m_uncacheable_count.load(std::memory_order_relaxed) == 0)
        return false;
    std::lock_guard lock(m_lock);
    return m_uncacheable_pages.contains(pc >> memory::AddressSpace::page_shift);
}

void JitEngine::invalidate_code(uint32_t address, uint32_t length)
{
    m_memory.unwatch_code(address, length);
    drop_code(address, length, false);
    // New code may be mapped here: give the pages another chance.
    std::lock_guard lock(m_lock);
    uint32_t first = address >> memory::AddressSpace::page_shift;
    uint64_t end = (uint64_t{address} + length + memory::AddressSpace::page_size - 1) >> memory::AddressSpace::page_shift;
    for (uint64_t page = first; page < end && !m_invalidations_per_page.empty(); ++page) {
        m_invalidations_per_page.erase(static_cast<uint32_t>(page));
        m_uncacheable_pages.erase(static_cast<uint32_t>(page));
    }
    m_uncacheable_count.store(m_uncacheable_pages.size(), std::memory_order_relaxed);
}

JitStatistics JitEngine::statistics()
{
    std::lock_guard lock(m_lock);
    JitStatistics statistics = m_totals;
    statistics.register_jumps_counted = m_profile || m_print_statistics;
    for (auto& [thread, translator] : m_threads) {
        add_statistics(statistics, *translator);
        statistics.code_cache_bytes += translator->code_cache.bytes_used();
        statistics.code_cache_capacity += translator->code_cache.capacity();
    }
    return statistics;
}

std::vector<BlockProfile> JitEngine::profile()
{
    std::lock_guard lock(m_lock);
    std::unordered_map<uint32_t, BlockProfile> merged = m_released_profile;
    for (auto& [thread, translator] : m_threads)
        translator->code_cache.collect_profile(merged);
    std::vector<BlockProfile> blocks;
    blocks.reserve(merged.size());
    for (auto& [start, block] : merged)
        blocks.push_back(block);
    return blocks;
}

size_t JitEngine::thread_count()
{
    std::lock_guard lock(m_lock);
    return m_threads.size();
}

Block* JitEngine::find_or_translate(Translator& translator, uint32_t pc)
{
    return find_or_translate(translator, pc, m_hot_threshold == 0 ? BlockShape::Superblock : BlockShape::Basic);
}

Block* JitEngine::find_or_translate(Translator& translator, uint32_t pc, BlockShape shape, FpuMode fpu_mode)
{
    CodeCache& cache = translator.code_cache;
    if (Block* block = cache.lookup(pc))
        return block;
    if (!is_fetchable(m_memory, pc) || is_uncacheable(pc))
        return nullptr;
    // A few tries: each fails only if code somewhere changed while this one was read.
    for (int attempt = 0; attempt < 4; ++attempt) {
        uint64_t generation = m_generation.load(std::memory_order_acquire);
        // Watch first, then read: from now on a store to the page drops what we derive from it
        // and counts as a new generation.
        m_memory.watch_code(pc);
        if (!m_memory.is_code_watched(pc))
            return nullptr;
        GuestBlock guest = discover_block(m_memory, pc, shape, &cache.branch_profile());
        if (guest.instructions.empty())
            return nullptr;
        guest.fpu_mode = fpu_mode;
        plant_divergence(guest); // a test-only fault injection, off unless asked for
        // The one other page a block may read: its last instruction's (frontend.h).
        uint32_t last = guest.instructions.back().pc;
        if ((last >> memory::AddressSpace::page_shift) != (pc >> memory::AddressSpace::page_shift)) {
            m_memory.watch_code(last);
            if (!m_memory.is_code_watched(last))
                return nullptr;
        }
        std::lock_guard lock(m_lock);
        if (m_generation.load(std::memory_order_acquire) != generation)
            continue;
        Block* block = cache.translate(guest, translator.statistics);
        if (block && m_dump)
            std::fputs(block_listing(*block, m_memory).c_str(), stderr);
        if (block && m_perf_map)
            std::fprintf(m_perf_map, "%lx %x guest_%08x\n", reinterpret_cast<unsigned long>(block->entry),
                         block->host_size, block->start);
        return block;
    }
    return nullptr;
}

bool JitEngine::reached_often_enough(Translator& translator, uint32_t pc)
{
    if (m_translate_threshold <= 1)
        return true;
    auto [entry, inserted] = translator.cold_entries.try_emplace(pc, 0);
    if (++entry->second < m_translate_threshold)
        return false;
    translator.cold_entries.erase(entry);
    return true;
}

// A destination the cold run reaches stops it when it is translated, or when this reach would be
// the one that has it translated: the dispatcher then makes that reach itself. Any other reach is
// counted here, as the dispatcher would count it.
bool JitEngine::stops_cold_run(void* context, uint32_t pc)
{
    auto& run = *static_cast<ColdRun*>(context);
    Translator& translator = *run.translator;
    if (translator.code_cache.lookup(pc))
        return true;
    uint32_t threshold = run.engine->m_translate_threshold;
    if (threshold <= 1)
        return true;
    uint32_t& reaches = translator.cold_entries[pc];
    if (reaches + 1 >= threshold)
        return true;
    ++reaches;
    return false;
}

cpu::Exit JitEngine::run_cold(Translator& translator, cpu::CpuState& cpu)
{
    // One interpreter call for the untranslated code from here on: entering the interpreter
    // (its fault scope, the floating-point mode) and decoding a block to find its end cost more
    // than running a short block.
    uint64_t before = cpu.instructions_retired;
    ColdRun run{this, &translator};
    cpu::Exit exit = m_interpreter.run_until(cpu, translator.context.limit - cpu.instructions_retired,
                                             &JitEngine::stops_cold_run, &run);
    translator.interpreter_steps.add(cpu.instructions_retired - before);
    translator.cold_steps.add(cpu.instructions_retired - before);
    return exit;
}

cpu::Exit JitEngine::run_interpreter(Translator& translator, cpu::CpuState& cpu, uint64_t count)
{
    uint64_t before = cpu.instructions_retired;
    cpu::Exit exit = m_interpreter.run(cpu, count);
    translator.interpreter_steps.add(cpu.instructions_retired - before);
    return exit;
}

void JitEngine::complete_stopped_state(Translator& translator, cpu::CpuState& cpu, const memory::FaultScope& scope,
                                       int reason)
{
    // Translated code stopped inside a block, at the instruction at cpu.pc: count the
    // instructions of the block before it. A helper that raised had the state stored; a host
    // fault in translated code finds the block from the faulting address, its budget at entry
    // from r12 (which holds it less the block's length; blocks store them only before a helper
    // call), and the access's fault site, which says the instruction and the guest registers only
    // host registers held.
    JitContext& context = translator.context;
    const auto* faulting = reinterpret_cast<const uint8_t*>(scope.fault.host_instruction_pointer);
    if (reason != raised) {
        if (const Block* block = translator.code_cache.block_containing(faulting)) {
            context.block = block;
            context.remaining = static_cast<int64_t>(scope.fault.host_registers[12]) + block->length;
            if (const FaultSite* site = block->fault_site(static_cast<uint32_t>(faulting - block->entry)))
                site->restore(cpu, [&](unsigned host) { return static_cast<uint32_t>(scope.fault.host_registers[host]); });
        }
    }
    cpu.instructions_retired = context.retired(cpu.pc);
    complete_delay_slot_state(m_memory, cpu, *context.block); // if only pc was stored
}

cpu::Exit JitEngine::run(cpu::CpuState& cpu, uint64_t budget)
{
    Translator& translator = for_this_thread();
    JitContext& context = translator.context;
    context.cpu = &cpu;
    // The budget translated code counts down; a run longer than 2^62 instructions is resumed by
    // the caller like any other.
    budget = std::min<uint64_t>(budget, uint64_t{1} << 62);
    context.limit = cpu.instructions_retired + budget;
    cpu::fpu::GuestModeScope fpu_mode; // the engines' MXCSR mode for the whole run (cpu/fpu_arithmetic.h)

    memory::FaultScope scope(m_memory);
    int reason = sigsetjmp(scope.buffer, 0);
    if (reason != 0) {
        complete_stopped_state(translator, cpu, scope, reason);
        if (reason == raised)
            return context.exit;
        // A host fault on guest memory: the state is the faulting instruction's. The reference
        // interpreter runs it and raises the exception exactly; if the access succeeds this time
        // (another thread mapped the page meanwhile), translated code goes on.
        uint64_t steps = std::min<uint64_t>(maximum_block_instructions + 1, context.limit - cpu.instructions_retired);
        cpu::Exit exit = run_interpreter(translator, cpu, steps);
        if (exit.kind != ExitKind::BudgetExhausted)
            return exit;
    }
    return dispatch(translator, cpu);
}

cpu::Exit JitEngine::dispatch(Translator& translator, cpu::CpuState& cpu)
{
    JitContext& context = translator.context;
    CodeCache& cache = translator.code_cache;
    const Trampolines& trampolines = cache.trampolines();
    for (;;) {
        if (cpu.instructions_retired >= context.limit)
            return cpu::Exit{ExitKind::BudgetExhausted, cpu.pc, 0, 0, cpu.delay_slot};
        // Blocks start between instructions; an instruction in a delay slot runs on its own.
        Block* block = nullptr;
        if (!cpu.delay_slot) {
            block = cache.lookup(cpu.pc);
            if (!block && !reached_often_enough(translator, cpu.pc)) {
                cpu::Exit exit = run_cold(translator, cpu);
                if (exit.kind != ExitKind::BudgetExhausted)
                    return exit;
                continue;
            }
            if (!block)
                block = find_or_translate(translator, cpu.pc);
        }
        if (!block) {
            // A few instructions at a time on an uncacheable page, else just this one.
            uint64_t count = is_uncacheable(cpu.pc) ? std::min<uint64_t>(64, context.limit - cpu.instructions_retired) : 1;
            cpu::Exit exit = run_interpreter(translator, cpu, count);
            if (exit.kind != ExitKind::BudgetExhausted)
                return exit;
            continue;
        }
        context.remaining = static_cast<int64_t>(context.limit - cpu.instructions_retired);
        ExitSite* site = trampolines.enter(&context, &cpu, m_memory.host_base(), block->entry);
        cpu.instructions_retired = context.limit - static_cast<uint64_t>(context.remaining);
        switch (site->kind) {
        case ExitSite::Kind::Budget:
            // The next block does not fit in what is left: the interpreter runs the rest.
            return run_interpreter(translator, cpu, context.limit - cpu.instructions_retired);
        case ExitSite::Kind::Direct: {
            // Chained once its destination is translated (the loop's next turn may do that).
            translator.unchained_exits.add(1);
            if (Block* target = cache.lookup(site->target)) {
                std::lock_guard lock(m_lock);
                if (cache.link(*site, *target))
                    ++translator.statistics.chained_exits;
            }
            break;
        }
        case ExitSite::Kind::Hot: replace_by_superblock(translator, cpu.pc); break;
        case ExitSite::Kind::FpuMode: replace_testing_fpu_mode(translator, cpu.pc); break;
        case ExitSite::Kind::Indirect: {
            translator.indirect_misses.add(1);
            if (Block* target = cache.lookup(cpu.pc)) {
                std::lock_guard lock(m_lock);
                cache.remember_indirect(*site, *target);
            }
            break;
        }
        }
    }
}

Block* JitEngine::replace(Translator& translator, uint32_t pc, BlockShape shape, FpuMode fpu_mode, uint64_t& replaced)
{
    CodeCache& cache = translator.code_cache;
    Block* old = cache.lookup(pc);
    uint64_t flushes = cache.flushes();
    cache.forget(pc);
    Block* block = find_or_translate(translator, pc, shape, fpu_mode);
    if (old && block && cache.flushes() == flushes) {
        std::lock_guard lock(m_lock);
        cache.forward(*old, *block);
        ++replaced;
    }
    return block;
}

Block* JitEngine::replace_by_superblock(Translator& translator, uint32_t pc)
{
    const Block* basic = translator.code_cache.lookup(pc);
    FpuMode fpu_mode = basic ? basic->fpu_mode : FpuMode::Common;
    return replace(translator, pc, BlockShape::Superblock, fpu_mode, translator.statistics.hot_blocks);
}

Block* JitEngine::replace_testing_fpu_mode(Translator& translator, uint32_t pc)
{
    const Block* block = translator.code_cache.lookup(pc);
    BlockShape shape = block ? block->shape : BlockShape::Superblock;
    return replace(translator, pc, shape, FpuMode::Tested, translator.statistics.fpu_mode_blocks);
}

std::optional<JitEngine::BlockExtent> JitEngine::block_at(uint32_t pc)
{
    Translator& translator = for_this_thread();
    Block* block = find_or_translate(translator, pc);
    // Its countdown (Block::countdown) reaches zero at this entry.
    if (block && block->countdown == 1) {
        block->countdown = 0; // hot once: should no superblock be made, the basic block runs on
        block = replace_by_superblock(translator, pc);
    }
    if (!block)
        return std::nullopt;
    return BlockExtent{block->start, block->ranges, block->length};
}

std::optional<cpu::Exit> JitEngine::run_block(cpu::CpuState& cpu)
{
    Translator& translator = for_this_thread();
    for (;;) {
        Block* block = cpu.delay_slot ? nullptr : find_or_translate(translator, cpu.pc);
        if (!block)
            return std::nullopt;
        bool other_fpu_mode = false;
        cpu::Exit exit = run_one_block(translator, cpu, *block, other_fpu_mode);
        if (!other_fpu_mode)
            return exit;
        // The block left unrun, the FPU in another mode than it assumes: it runs again, testing it.
        replace_testing_fpu_mode(translator, cpu.pc);
    }
}

cpu::Exit JitEngine::run_one_block(Translator& translator, cpu::CpuState& cpu, Block& block, bool& other_fpu_mode)
{
    JitContext& context = translator.context;
    context.cpu = &cpu;
    context.limit = cpu.instructions_retired + block.length;
    context.remaining = block.length;
    cpu::fpu::GuestModeScope fpu_mode;

    memory::FaultScope scope(m_memory);
    int reason = sigsetjmp(scope.buffer, 0);
    if (reason != 0) {
        // As in run(): the instruction at cpu.pc stopped the block.
        complete_stopped_state(translator, cpu, scope, reason);
        if (reason == raised)
            return context.exit;
        // The block stays in place (even if a store dropped it) until the cache's next flush,
        // which only the dispatcher's translation makes.
        return run_interpreter_to(translator, cpu, block.ranges);
    }
    ExitSite* site = translator.code_cache.trampolines().enter(&context, &cpu, m_memory.host_base(), block.entry);
    other_fpu_mode = site->kind == ExitSite::Kind::FpuMode;
    cpu.instructions_retired = context.limit - static_cast<uint64_t>(context.remaining);
    return cpu::Exit{ExitKind::BudgetExhausted, cpu.pc, 0, 0, cpu.delay_slot};
}

cpu::Exit JitEngine::run_interpreter_to(Translator& translator, cpu::CpuState& cpu, std::span<const GuestRange> path)
{
    uint64_t before = cpu.instructions_retired;
    cpu::Exit exit = m_interpreter.run_block(cpu, path);
    translator.interpreter_steps.add(cpu.instructions_retired - before);
    return exit;
}

std::string JitEngine::listing(uint32_t pc)
{
    Block* block = find_or_translate(for_this_thread(), pc);
    return block ? block_listing(*block, m_memory) : std::string("no block\n");
}

} // namespace isomorph::engines
