#pragma once

#include "engines/engine.h"
#include "engines/interp/interpreter.h"
#include "engines/jit/code_cache.h"
#include "engines/jit/context.h"
#include "engines/jit/statistics.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace isomorph::memory {
class FaultScope;
}

namespace isomorph::engines {

// The dynamic binary translator: guest blocks become x86-64 code once they have run a few times.
// The dispatcher (the emulation manager) looks every unchained exit up in the map table; on a
// miss it lets the reference interpreter run the block until the dispatcher has reached it
// translate_threshold times, then translates it and enters the block; direct exits are chained
// once their destination exists, register jumps go through an inline cache and a hash table. Instructions without a
// native fast path run their shared semantics through helpers. The reference interpreter runs
// what the translator does not: the instructions left when the budget is nearly spent, an
// instruction that starts in a delay slot, and fetches that fault.
//
// Threads. One engine serves a whole guest process; run() is called concurrently from several
// host threads, each with its own CpuState. Every host thread gets its own Translator (code
// cache, map table, hash table, JitContext, counters), created on its first run() and released
// when the thread ends, so the dispatcher and translated code never wait for another thread and
// never run code another thread translated. What threads share is m_lock, under which
//   - a thread publishes a translation, chains an exit or fills an indirect cache of its own
//     cache, and
//   - any thread invalidates: a code listener (a guest store into a watched page, on whatever
//     thread made it, possibly inside its SIGSEGV handler), munmap or mprotect drops the
//     affected blocks in every thread's cache. Dropping marks a block dead, unchains the jumps
//     into and out of it (one atomic 8-byte store each, engines/jit/code_cache.h) and empties
//     the indirect caches that name it, so a thread running that code leaves it at the block's
//     end; the code itself is freed only by its owner, when it flushes its cache from the
//     dispatcher.
// A translation is published only if no invalidation happened since the thread watched the page
// and read the code (m_generation), so a store can never slip in between.
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
    void before_fork() override;
    void after_fork() override;

    // Summed over all threads, those that ended included; callable from any thread.
    jit::JitStatistics statistics();
    // The guest and host disassembly of the block starting at pc in the calling thread's cache,
    // translating it if needed.
    std::string listing(uint32_t pc);
    // Host threads with a translator now.
    size_t thread_count();

    // `isomorph run --profile`: from now on (call it before the first run) every translated
    // block counts its executions and register jumps their cache hits; profile() returns the counts by block start address, over
    // all threads, translations and flushes. Call profile() when no thread runs guest code.
    void enable_profile() { m_profile = true; }
    std::vector<jit::BlockProfile> profile();

    // Tiers. A block is translated first as a basic block; one that would grow as a superblock
    // (engines/jit/frontend.h) counts its entries and, after hot_threshold of them
    // (ISOMORPH_JIT_HOT_THRESHOLD, default below), is translated again as a superblock, which
    // replaces it. translate_superblocks_at_once() (call it before the first run) skips the first
    // tier: the lockstep mode and tests check the superblocks' code that way.
    static constexpr uint32_t default_hot_threshold = 50;
    void translate_superblocks_at_once() { m_hot_threshold = 0; }

    // Staged emulation. Most blocks of a short program run once or twice (two thirds of those
    // busybox runs at start-up run exactly once), and translating one costs as much as
    // interpreting it dozens of times (3 to 5 us against about 0.1 us for a block of ten
    // instructions); so the dispatcher translates a block only when it reaches its start for the
    // translate_threshold-th time (ISOMORPH_JIT_TRANSLATE_THRESHOLD, default below: about where
    // the interpreting has cost what the translation would have) and has the reference
    // interpreter run it before. translate_at_first_execution() (call it before the first run)
    // translates every block the first time: the tests that check translated code, and the
    // fuzzer, whose cases run their code once.
    static constexpr uint32_t default_translate_threshold = 32;
    void set_translate_threshold(uint32_t reaches) { m_translate_threshold = std::max<uint32_t>(1, reaches); }
    void translate_at_first_execution() { set_translate_threshold(1); }

    // The lockstep mode (engines/lockstep/lockstep_engine.h) runs translated code one block at a
    // time through these two instead of run(); it never calls run(), so no exit is ever chained
    // and no register jump's cache filled: every block returns to the caller.
    struct BlockExtent {
        uint32_t start = 0;
        std::vector<GuestRange> path; // the guest code it runs, in order
        uint32_t length = 0;
    };
    // The block the engine would run at pc, translated if needed; nothing where the engine would
    // step the reference interpreter instead. A basic block whose next entry would leave by its
    // hot exit is replaced by its superblock first, so the lockstep mode checks both tiers (when
    // superblocks are not translated at once).
    std::optional<BlockExtent> block_at(uint32_t pc);
    // Runs the one block at cpu.pc (translating it again if it was dropped meanwhile) and
    // returns when it leaves, with BudgetExhausted when it ran to its end; nothing, with the state
    // untouched, if there is no block there. An access that faults in the block is run again by
    // the reference interpreter along the rest of the block (Interpreter::run_block), as run()
    // would.
    std::optional<cpu::Exit> run_block(cpu::CpuState& cpu);

    // One host thread's translation state.
    struct Translator;

private:
    struct Registry;

    Translator& for_this_thread();
    void release(Translator* translator);
    static void code_changed(void* self, uint32_t address, uint32_t length);
    void drop_code(uint32_t address, uint32_t length, bool count_towards_uncacheable);
    bool is_uncacheable(uint32_t pc);
    jit::Block* find_or_translate(Translator& translator, uint32_t pc);
    jit::Block* find_or_translate(Translator& translator, uint32_t pc, jit::BlockShape shape,
                                  jit::FpuMode fpu_mode = jit::FpuMode::Common);
    // Translates the block at pc again, as shape and fpu_mode say, and forwards the entry of the
    // one there (if any) to the new translation, counting that in replaced. Returns the new block,
    // or null if there is none (the old one stays).
    jit::Block* replace(Translator& translator, uint32_t pc, jit::BlockShape shape, jit::FpuMode fpu_mode,
                        uint64_t& replaced);
    // The basic block at pc is hot: replaces it by its superblock.
    jit::Block* replace_by_superblock(Translator& translator, uint32_t pc);
    // The block at pc found the FPU in another mode than the common one it assumes: replaces it
    // by a translation that tests the mode at each instruction.
    jit::Block* replace_testing_fpu_mode(Translator& translator, uint32_t pc);
    // run_block()'s run of block, which is at cpu.pc; other_fpu_mode says whether it left unrun
    // because the FPU is in another mode than it assumes.
    cpu::Exit run_one_block(Translator& translator, cpu::CpuState& cpu, jit::Block& block, bool& other_fpu_mode);
    cpu::Exit run_interpreter(Translator& translator, cpu::CpuState& cpu, uint64_t count);
    cpu::Exit run_interpreter_to(Translator& translator, cpu::CpuState& cpu,
                                 std::span<const GuestRange> path);
    // Staged emulation: whether the dispatcher has now reached the untranslated block at pc
    // often enough to translate it; if not, run_cold() has the interpreter run it and the
    // untranslated code after it, up to the next control transfer whose destination is
    // translated or due for translation (stops_cold_run counts the reaches on the way).
    bool reached_often_enough(Translator& translator, uint32_t pc);
    cpu::Exit run_cold(Translator& translator, cpu::CpuState& cpu);
    struct ColdRun {
        JitEngine* engine;
        Translator* translator;
    };
    static bool stops_cold_run(void* context, uint32_t pc);
    // After translated code stopped inside a block (reason: what reached the recovery point of
    // scope), makes the state of the instruction at cpu.pc complete: its retired count and
    // delay-slot state. run() and run_block() share it.
    void complete_stopped_state(Translator& translator, cpu::CpuState& cpu, const memory::FaultScope& scope, int reason);
    cpu::Exit dispatch(Translator& translator, cpu::CpuState& cpu);
    static void add_statistics(jit::JitStatistics& totals, const Translator& translator);

    memory::AddressSpace& m_memory;
    const size_t m_code_cache_capacity;
    const uint64_t m_serial;
    Interpreter m_interpreter; // safe for concurrent runs

    std::mutex m_lock;
    // Counts invalidations; a translation is published only if this did not change meanwhile.
    std::atomic<uint64_t> m_generation{0};
    // Under m_lock:
    std::unordered_map<std::thread::id, std::unique_ptr<Translator>> m_threads;
    jit::JitStatistics m_totals; // of the threads that ended, and the shared counters
    // Pages whose translations were dropped again and again (a guest storing into a page that also
    // holds running code) are run by the interpreter instead.
    static constexpr unsigned uncacheable_after_invalidations = 16;
    std::unordered_map<uint32_t, unsigned> m_invalidations_per_page;
    std::unordered_set<uint32_t> m_uncacheable_pages;
    std::atomic<size_t> m_uncacheable_count{0}; // m_uncacheable_pages.size(), read without the lock

    bool m_profile = false;
    uint32_t m_hot_threshold = default_hot_threshold; // 0: superblocks at once
    uint32_t m_translate_threshold = default_translate_threshold; // 1: at the first execution
    std::unordered_map<uint32_t, jit::BlockProfile> m_released_profile; // of threads that ended
    bool m_dump = false;
    std::FILE* m_perf_map = nullptr;
    bool m_print_statistics = false;
};

} // namespace isomorph::engines
