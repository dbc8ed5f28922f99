// The threaded interpreter's decoded-code cache: pages are decoded on first use and watched, and
// every way guest code can change (a guest store, a host write into guest memory, munmap, mmap
// over, mprotect, an explicit invalidation, another thread's store) drops the decoded page so
// that the new code runs.

#include "threaded_test_program.h"

#include "engines/threaded/threaded_engine.h"

#include <condition_variable>
#include <gtest/gtest.h>
#include <mutex>
#include <thread>

namespace isomorph::test {

namespace {

using namespace mips;

constexpr unsigned zero = 0, v0 = 2, t0 = 8, t1 = 9, t2 = 10, t3 = 11, s0 = 16;

engines::ThreadedEngine& threaded(Machine& machine) { return dynamic_cast<engines::ThreadedEngine&>(*machine.engine); }

// t0 = value; exit.
std::vector<uint32_t> set_and_exit(uint32_t value)
{
    std::vector<uint32_t> code;
    load_constant(code, t0, value);
    code.push_back(addiu(v0, zero, exit_syscall));
    code.push_back(syscall());
    return code;
}

// Runs from code_address until the exit system call; returns t0.
uint32_t run_from_start(Machine& machine)
{
    machine.cpu.jump_to(code_address);
    std::vector<Stop> stops = run_program(machine, UINT64_MAX);
    EXPECT_EQ(stops.back().exit.kind, cpu::ExitKind::Syscall) << stops.back();
    return machine.cpu.gpr[t0];
}

void write_code(memory::AddressSpace& space, uint32_t address, const std::vector<uint32_t>& code)
{
    ASSERT_TRUE(space.copy_to_guest(address, code.data(), code.size() * 4));
}

TEST(ThreadedCodeCache, DecodesAPageOnceAndWatchesIt)
{
    Machine machine(engines::EngineKind::Threaded, set_and_exit(11));
    EXPECT_FALSE(machine.space.is_code_watched(code_address));
    EXPECT_EQ(run_from_start(machine), 11u);
    EXPECT_TRUE(machine.space.is_code_watched(code_address));
    EXPECT_FALSE(machine.space.is_code_watched(code_address + 0x1000)); // never ran
    EXPECT_EQ(run_from_start(machine), 11u);
    auto statistics = threaded(machine).code_cache().statistics();
    EXPECT_EQ(statistics.pages_decoded, 1u);
    EXPECT_EQ(statistics.pages_dropped, 0u);
    EXPECT_EQ(threaded(machine).code_cache().for_this_thread().decoded_page_count(), 1u);
    // The page stays writable for the guest; only the host mapping is read-only.
    EXPECT_TRUE(machine.space.range_has(code_address, 4, memory::ProtectionWrite));
}

TEST(ThreadedCodeCache, HostWriteIntoAWatchedPageDropsIt)
{
    // A different program loaded at an address that ran before: what a loader or read() does.
    Machine machine(engines::EngineKind::Threaded, set_and_exit(1));
    EXPECT_EQ(run_from_start(machine), 1u);
    write_code(machine.space, code_address, set_and_exit(2));
    EXPECT_FALSE(machine.space.is_code_watched(code_address));
    EXPECT_EQ(run_from_start(machine), 2u);
    EXPECT_EQ(threaded(machine).code_cache().statistics().pages_dropped, 1u);
}

TEST(ThreadedCodeCache, UnmapAndMapAgainRunsTheNewCode)
{
    Machine machine(engines::EngineKind::Threaded, set_and_exit(1));
    EXPECT_EQ(run_from_start(machine), 1u);
    ASSERT_EQ(machine.space.unmap(code_address, 0x1000), 0);
    EXPECT_EQ(threaded(machine).code_cache().for_this_thread().decoded_page_count(), 0u);
    machine.cpu.jump_to(code_address);
    EXPECT_EQ(machine.engine->run(machine.cpu, UINT64_MAX).kind, cpu::ExitKind::FetchFault);

    ASSERT_EQ(machine.space.map_anonymous(code_address, 0x1000, memory::ProtectionRead | memory::ProtectionWrite |
                                                                    memory::ProtectionExecute),
              0);
    write_code(machine.space, code_address, set_and_exit(3));
    EXPECT_EQ(run_from_start(machine), 3u);
    // Mapping over a watched page drops it too.
    ASSERT_EQ(machine.space.map_anonymous(code_address, 0x1000, memory::ProtectionRead | memory::ProtectionWrite |
                                                                    memory::ProtectionExecute),
              0);
    EXPECT_EQ(threaded(machine).code_cache().for_this_thread().decoded_page_count(), 0u);
    write_code(machine.space, code_address, set_and_exit(4));
    EXPECT_EQ(run_from_start(machine), 4u);
}

TEST(ThreadedCodeCache, ProtectingAPageDropsIt)
{
    Machine machine(engines::EngineKind::Threaded, set_and_exit(1));
    EXPECT_EQ(run_from_start(machine), 1u);
    ASSERT_EQ(machine.space.protect(code_address, 0x1000, memory::ProtectionRead), 0);
    EXPECT_FALSE(machine.space.is_code_watched(code_address));
    machine.cpu.jump_to(code_address);
    cpu::Exit exit = machine.engine->run(machine.cpu, UINT64_MAX);
    EXPECT_EQ(exit.kind, cpu::ExitKind::FetchFault);
    EXPECT_EQ(exit.address, code_address);
}

TEST(ThreadedCodeCache, ExplicitInvalidationDropsAndUnwatches)
{
    Machine machine(engines::EngineKind::Threaded, set_and_exit(1));
    EXPECT_EQ(run_from_start(machine), 1u);
    machine.engine->invalidate_code(code_address + 8, 4);
    EXPECT_FALSE(machine.space.is_code_watched(code_address));
    EXPECT_EQ(threaded(machine).code_cache().for_this_thread().decoded_page_count(), 0u);
    // Invalidating what was never decoded changes nothing.
    machine.engine->invalidate_code(code_address + 0x2000, 0x1000);
    EXPECT_EQ(threaded(machine).code_cache().statistics().invalidations, 1u);
    EXPECT_EQ(run_from_start(machine), 1u);
}

TEST(ThreadedCodeCache, GuestStoreIntoRunningCodeIsSeenAtOnce)
{
    // sw writes the instruction right after it; that instruction must be the new one.
    std::vector<uint32_t> code;
    load_constant(code, t2, code_address + 6 * 4);
    load_constant(code, t3, addiu(t0, zero, 77));
    code.push_back(sw(t3, 0, t2));
    code.push_back(addiu(t1, zero, 1)); // sixth word: unused filler
    code.push_back(addiu(t0, zero, 5)); // rewritten before it runs
    code.push_back(addiu(v0, zero, exit_syscall));
    code.push_back(syscall());
    Machine machine(engines::EngineKind::Threaded, code);
    EXPECT_EQ(run_from_start(machine), 77u);
    auto statistics = threaded(machine).code_cache().statistics();
    EXPECT_EQ(statistics.pages_dropped, 1u);
    EXPECT_EQ(statistics.pages_decoded, 2u);
}

TEST(ThreadedCodeCache, PageRewrittenAllTheTimeIsLeftToTheReference)
{
    // A loop that keeps storing into its own page: after enough drops the page is not decoded
    // again, and the program still computes the right thing.
    std::vector<uint32_t> code;
    code.push_back(addiu(s0, zero, 200));
    load_constant(code, t2, code_address + 0x800);
    code.push_back(sw(s0, 0, t2)); // loop:
    code.push_back(lw(t1, 0, t2));
    code.push_back(addu(t0, t0, t1));
    code.push_back(addiu(s0, s0, -1));
    code.push_back(bne(s0, zero, -5));
    code.push_back(nop());
    code.push_back(addiu(v0, zero, exit_syscall));
    code.push_back(syscall());
    Machine machine(engines::EngineKind::Threaded, code);
    EXPECT_EQ(run_from_start(machine), 200u * 201 / 2);
    auto statistics = threaded(machine).code_cache().statistics();
    EXPECT_EQ(statistics.uncacheable_pages, 1u);
    EXPECT_EQ(statistics.pages_dropped, engines::threaded::CodeCache::uncacheable_after_invalidations);
    EXPECT_GT(threaded(machine).instructions_run_by_reference(), 100u);
}

TEST(ThreadedCodeCache, PageThatStopsChangingIsDecodedAgain)
{
    // First a loop that stores into its own page, then a long loop that does not: once the
    // reference interpreter has run a period's worth of it, the page is decoded again.
    using engines::threaded::CodeCache;
    std::vector<uint32_t> code;
    load_constant(code, t2, code_address + 0x800);
    code.push_back(addiu(s0, zero, 100));
    code.push_back(sw(s0, 0, t2));          // first loop
    code.push_back(addiu(s0, s0, -1));
    code.push_back(bne(s0, zero, -3));
    code.push_back(nop());
    code.push_back(lui(s0, 8));             // 0x80000 rounds of the second loop
    code.push_back(addiu(t0, t0, 1));       // second loop
    code.push_back(addiu(s0, s0, -1));
    code.push_back(bne(s0, zero, -3));
    code.push_back(nop());
    code.push_back(addiu(v0, zero, exit_syscall));
    code.push_back(syscall());
    Machine machine(engines::EngineKind::Threaded, code);
    EXPECT_EQ(run_from_start(machine), 0x80000u);
    auto& engine = threaded(machine);
    EXPECT_EQ(engine.code_cache().statistics().uncacheable_pages, 1u);
    uint64_t by_reference = engine.instructions_run_by_reference();
    EXPECT_GE(by_reference, CodeCache::uncacheable_period);
    EXPECT_LT(by_reference, CodeCache::uncacheable_period + 1000);
    EXPECT_EQ(engine.code_cache().for_this_thread().decoded_page_count(), 1u);
}

TEST(ThreadedCodeCache, EachThreadHasItsOwnCacheAndSeesOtherThreadsStores)
{
    // The guest: a loop that makes a system call each round and adds what its patched
    // instruction loads into t1; between two rounds another thread rewrites that instruction.
    std::vector<uint32_t> code;
    code.push_back(addiu(s0, zero, 3));
    code.push_back(addiu(t1, zero, 1));     // loop: the patched instruction (index 1)
    code.push_back(addu(t0, t0, t1));
    code.push_back(addiu(v0, zero, 4020));
    code.push_back(syscall());
    code.push_back(addiu(s0, s0, -1));
    code.push_back(bne(s0, zero, -6));
    code.push_back(nop());
    code.push_back(addiu(v0, zero, exit_syscall));
    code.push_back(syscall());
    Machine machine(engines::EngineKind::Threaded, code);
    auto& engine = threaded(machine);

    std::mutex lock;
    std::condition_variable changed;
    int rounds = 0;  // rounds the runner has finished (each ends with a system call)
    int patches = 0; // patches the patcher has applied
    std::thread runner([&] {
        cpu::CpuState& cpu = machine.cpu;
        for (;;) {
            cpu::Exit exit = engine.run(cpu, UINT64_MAX);
            ASSERT_EQ(exit.kind, cpu::ExitKind::Syscall);
            if (cpu.gpr[v0] == exit_syscall)
                break;
            cpu.advance();
            EXPECT_EQ(engine.code_cache().for_this_thread().decoded_page_count(), 1u);
            std::unique_lock guard(lock);
            ++rounds;
            changed.notify_all();
            changed.wait(guard, [&] { return patches == rounds; });
        }
    });
    std::thread patcher([&] {
        // A second guest thread on the same engine: the store comes from its own decoded code.
        cpu::CpuState cpu;
        for (int round = 1; round <= 3; ++round) {
            {
                std::unique_lock guard(lock);
                changed.wait(guard, [&] { return rounds == round; });
            }
            std::vector<uint32_t> patch;
            load_constant(patch, t2, code_address + 4);
            load_constant(patch, t3, addiu(t1, zero, 10 * round));
            patch.push_back(sw(t3, 0, t2));
            patch.push_back(addiu(v0, zero, exit_syscall));
            patch.push_back(syscall());
            uint32_t patch_address = code_address + 0x1000 * static_cast<uint32_t>(round); // a fresh page
            write_code(machine.space, patch_address, patch);
            cpu.jump_to(patch_address);
            EXPECT_EQ(engine.run(cpu, UINT64_MAX).kind, cpu::ExitKind::Syscall);
            std::unique_lock guard(lock);
            patches = round;
            changed.notify_all();
        }
    });
    runner.join();
    patcher.join();
    // Round one added 1, the patched instruction then loaded 10 and 20 (the last patch, 30,
    // comes after the last round).
    EXPECT_EQ(machine.cpu.gpr[t0], 1u + 10 + 20);
    auto statistics = engine.code_cache().statistics();
    EXPECT_GE(statistics.pages_dropped, 3u);
    EXPECT_EQ(statistics.threads, 0u); // both threads ended, and their caches with them
}

} // namespace

} // namespace isomorph::test
