#pragma once

#include "engines/engine.h"
#include "engines/interp/interpreter.h"
#include "engines/jit/code_cache.h"
#include "engines/jit/context.h"
#include "engines/jit/statistics.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace isomorph::engines {

// The dynamic binary translator: guest blocks become x86-64 code on their first execution.
// The dispatcher (the emulation manager) looks every unchained exit up in the map table,
// translates on a miss and enters the block; direct exits are chained once their destination
// exists, register jumps go through an inline cache and a hash table. Instructions without a
// native fast path run their shared semantics through helpers. The reference interpreter runs
// what the translator does not: the instructions left when the budget is nearly spent, an
// instruction that starts in a delay slot, and fetches that fault.
//
// Environment variables: ISOMORPH_JIT_STATISTICS=1 prints the statistics to stderr when the
// engine ends; ISOMORPH_JIT_DUMP=1 prints every block as guest and host disassembly when it is
// translated; ISOMORPH_JIT_PERF_MAP=1 writes /tmp/perf-PID.map so that `perf report` names the
// translated blocks by guest address.
class JitEngine final : public Engine {
public:
    explicit JitEngine(memory::AddressSpace& memory, size_t code_cache_capacity = jit::CodeCache::default_capacity);
    ~JitEngine() override;

    cpu::Exit run(cpu::CpuState& cpu, uint64_t budget) override;
    void invalidate_code(uint32_t address, uint32_t length) override;

    jit::JitStatistics statistics() const;
    // The guest and host disassembly of the block starting at pc, translating it if needed.
    std::string listing(uint32_t pc);

private:
    static void code_changed(void* self, uint32_t address, uint32_t length);
    void drop_code(uint32_t address, uint32_t length);
    bool is_uncacheable(uint32_t pc) const;
    jit::Block* find_or_translate(uint32_t pc);
    cpu::Exit run_interpreter(cpu::CpuState& cpu, uint64_t count);
    cpu::Exit dispatch(cpu::CpuState& cpu);

    memory::AddressSpace& m_memory;
    Interpreter m_interpreter;
    jit::CodeCache m_code_cache;
    jit::JitContext m_context;
    jit::JitStatistics m_statistics;
    // Pages whose translations were dropped again and again (a guest storing into a page that also
    // holds running code) are run by the interpreter instead.
    static constexpr unsigned uncacheable_after_invalidations = 16;
    std::unordered_map<uint32_t, unsigned> m_invalidations_per_page;
    std::unordered_set<uint32_t> m_uncacheable_pages;
    bool m_dump = false;
    std::FILE* m_perf_map = nullptr;
    bool m_print_statistics = false;
};

} // namespace isomorph::engines
