#include "engines/jit/jit_engine.h"

#include "engines/jit/helpers.h"
#include "engines/jit/listing.h"
#include "memory/address_space.h"
#include "memory/host_fault.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

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

} // namespace

JitEngine::JitEngine(memory::AddressSpace& memory, size_t code_cache_capacity)
    : m_memory(memory), m_interpreter(memory), m_code_cache(code_cache_capacity)
{
    m_context.memory = &m_memory;
    m_context.host_base = m_memory.host_base();
    m_context.hash_table = m_code_cache.hash_table();
    m_dump = environment_flag("ISOMORPH_JIT_DUMP");
    m_print_statistics = environment_flag("ISOMORPH_JIT_STATISTICS");
    if (environment_flag("ISOMORPH_JIT_PERF_MAP"))
        m_perf_map = std::fopen(fmt::format("/tmp/perf-{}.map", getpid()).c_str(), "a");
    m_memory.add_code_listener(&JitEngine::code_changed, this);
}

JitEngine::~JitEngine()
{
    m_memory.remove_code_listener(this);
    if (m_perf_map)
        std::fclose(m_perf_map);
    if (m_print_statistics)
        std::fputs(statistics().report().c_str(), stderr);
}

void JitEngine::code_changed(void* self, uint32_t address, uint32_t length)
{
    static_cast<JitEngine*>(self)->drop_code(address, length);
}

void JitEngine::drop_code(uint32_t address, uint32_t length)
{
    uint64_t dropped = m_code_cache.invalidate(address, length);
    m_statistics.blocks_invalidated += dropped;
    if (dropped == 0 || length > memory::AddressSpace::page_size)
        return;
    uint32_t page = address >> memory::AddressSpace::page_shift;
    if (++m_invalidations_per_page[page] >= uncacheable_after_invalidations && m_uncacheable_pages.insert(page).second)
        ++m_statistics.uncacheable_pages;
}

bool JitEngine::is_uncacheable(uint32_t pc) const
{
    return !m_uncacheable_pages.empty() && m_uncacheable_pages.contains(pc >> memory::AddressSpace::page_shift);
}

void JitEngine::invalidate_code(uint32_t address, uint32_t length)
{
    m_memory.unwatch_code(address, length);
    m_statistics.blocks_invalidated += m_code_cache.invalidate(address, length);
    // New code may be mapped here: give the pages another chance.
    uint32_t first = address >> memory::AddressSpace::page_shift;
    uint64_t end = (uint64_t{address} + length + memory::AddressSpace::page_size - 1) >> memory::AddressSpace::page_shift;
    for (uint64_t page = first; page < end && !m_invalidations_per_page.empty(); ++page) {
        m_invalidations_per_page.erase(static_cast<uint32_t>(page));
        m_uncacheable_pages.erase(static_cast<uint32_t>(page));
    }
}

JitStatistics JitEngine::statistics() const
{
    JitStatistics statistics = m_statistics;
    statistics.indirect_inline_hits = m_context.inline_cache_hits;
    statistics.indirect_hash_hits = m_context.hash_table_hits;
    statistics.code_cache_bytes = m_code_cache.bytes_used();
    statistics.code_cache_capacity = m_code_cache.capacity();
    return statistics;
}

Block* JitEngine::find_or_translate(uint32_t pc)
{
    if (Block* block = m_code_cache.lookup(pc))
        return block;
    if (!is_fetchable(m_memory, pc) || is_uncacheable(pc))
        return nullptr;
    // Watch first, then read: from now on a store to the page drops what we derive from it.
    m_memory.watch_code(pc);
    if (!m_memory.is_code_watched(pc))
        return nullptr;
    GuestBlock guest = discover_block(m_memory, pc);
    if (guest.instructions.empty())
        return nullptr;
    uint32_t last = guest.end_pc() - 4;
    if ((last >> memory::AddressSpace::page_shift) != (pc >> memory::AddressSpace::page_shift)) {
        m_memory.watch_code(last);
        if (!m_memory.is_code_watched(last))
            return nullptr;
    }
    Block* block = m_code_cache.translate(guest, m_statistics);
    if (block && m_dump)
        std::fputs(block_listing(*block, m_memory).c_str(), stderr);
    if (block && m_perf_map)
        std::fprintf(m_perf_map, "%lx %x guest_%08x\n", reinterpret_cast<unsigned long>(block->entry), block->host_size,
                     block->start);
    return block;
}

cpu::Exit JitEngine::run_interpreter(cpu::CpuState& cpu, uint64_t count)
{
    uint64_t before = cpu.instructions_retired;
    cpu::Exit exit = m_interpreter.run(cpu, count);
    m_statistics.interpreter_steps += cpu.instructions_retired - before;
    return exit;
}

cpu::Exit JitEngine::run(cpu::CpuState& cpu, uint64_t budget)
{
    m_context.cpu = &cpu;
    // The budget translated code counts down; a run longer than 2^62 instructions is resumed by
    // the caller like any other.
    budget = std::min<uint64_t>(budget, uint64_t{1} << 62);
    m_context.limit = cpu.instructions_retired + budget;

    memory::FaultScope scope(m_memory);
    int reason = sigsetjmp(scope.buffer, 0);
    if (reason != 0) {
        // Translated code stopped inside a block, which counted all its instructions on entry:
        // count only those before the one at cpu.pc, which the generated code stored.
        cpu.instructions_retired = m_context.retired(cpu.pc);
        complete_delay_slot_state(m_memory, cpu, m_context.block_start); // if only pc was stored
        if (reason == raised)
            return m_context.exit;
        return cpu::Exit{scope.fault.write ? ExitKind::StoreFault : ExitKind::LoadFault, cpu.pc, scope.fault.address,
                         0, cpu.delay_slot};
    }
    return dispatch(cpu);
}

cpu::Exit JitEngine::dispatch(cpu::CpuState& cpu)
{
    const Trampolines& trampolines = m_code_cache.trampolines();
    for (;;) {
        if (cpu.instructions_retired >= m_context.limit)
            return cpu::Exit{ExitKind::BudgetExhausted, cpu.pc, 0, 0, cpu.delay_slot};
        // Blocks start between instructions; an instruction in a delay slot runs on its own.
        Block* block = cpu.delay_slot ? nullptr : find_or_translate(cpu.pc);
        if (!block) {
            // A few instructions at a time on an uncacheable page, else just this one.
            uint64_t count = is_uncacheable(cpu.pc) ? std::min<uint64_t>(64, m_context.limit - cpu.instructions_retired) : 1;
            cpu::Exit exit = run_interpreter(cpu, count);
            if (exit.kind != ExitKind::BudgetExhausted)
                return exit;
            continue;
        }
        m_context.remaining = static_cast<int64_t>(m_context.limit - cpu.instructions_retired);
        ExitSite* site = trampolines.enter(&m_context, &cpu, m_memory.host_base(), block->entry);
        cpu.instructions_retired = m_context.limit - static_cast<uint64_t>(m_context.remaining);
        switch (site->kind) {
        case ExitSite::Kind::Budget:
            // The next block does not fit in what is left: the interpreter runs the rest.
            return run_interpreter(cpu, m_context.limit - cpu.instructions_retired);
        case ExitSite::Kind::Direct: {
            ++m_statistics.unchained_exits;
            uint64_t flushes = m_code_cache.flushes();
            Block* target = find_or_translate(site->target);
            if (target && m_code_cache.flushes() == flushes && site->owner->live) {
                m_code_cache.link(*site, *target);
                ++m_statistics.chained_exits;
            }
            break;
        }
        case ExitSite::Kind::Indirect: {
            ++m_statistics.indirect_misses;
            uint64_t flushes = m_code_cache.flushes();
            Block* target = find_or_translate(cpu.pc);
            if (target && m_code_cache.flushes() == flushes)
                m_code_cache.remember_indirect(*site, *target);
            break;
        }
        }
    }
}

std::string JitEngine::listing(uint32_t pc)
{
    Block* block = find_or_translate(pc);
    return block ? block_listing(*block, m_memory) : std::string("no block\n");
}

} // namespace isomorph::engines
