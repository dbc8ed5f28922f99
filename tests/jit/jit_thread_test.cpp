// One engine, several host threads: the contract of guest threads. Each host thread runs its own
// CpuState through the same JitEngine over one address space while another thread's guest code
// rewrites the code they run. Every runner must leave the stale code (chained loops included)
// once the rewrite turns an instruction of its loop into BREAK; a runner that kept running
// stale code would never return, and the test would time out.

#include "engines/interp/interpreter.h"
#include "engines/jit/jit_engine.h"
#include "memory/address_space.h"
#include "../unit/jit_test_support.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace isomorph {

namespace {

using namespace jit_test; // the encodings

constexpr uint32_t jal(uint32_t target) { return jump(3, target); }

constexpr uint32_t runner_code = 0x00400000;
constexpr uint32_t patched = runner_code + 0x100; // the function's first instruction
constexpr uint32_t self_loop = runner_code + 0x200; // a loop of one block, whose first instruction is patched
constexpr uint32_t writer_code = 0x00401000;      // another page: the writer's own code stays put
constexpr uint32_t data = 0x10000000;

constexpr uint32_t add_one = addiu(2, 2, 1);
constexpr uint32_t add_two = addiu(2, 2, 2);
constexpr uint32_t stop = break_(9);

void load_constant(std::vector<uint32_t>& code, uint32_t rt, uint32_t value)
{
    code.push_back(lui(rt, value >> 16));
    code.push_back(ori(rt, rt, value & 0xFFFF));
}

// A countdown of 2^18 rounds in $9 (about 800,000 instructions).
void spin(std::vector<uint32_t>& code)
{
    code.push_back(lui(9, 4));
    code.push_back(addiu(9, 9, -1));
    code.push_back(bne(9, 0, -2));
    code.push_back(nop);
}

struct SharedGuest {
    memory::AddressSpace memory;

    explicit SharedGuest(uint32_t target = patched)
    {
        const uint8_t code_protection = memory::ProtectionRead | memory::ProtectionWrite | memory::ProtectionExecute;
        EXPECT_EQ(memory.map_anonymous(runner_code, 0x2000, code_protection), 0);
        EXPECT_EQ(memory.map_anonymous(data, 0x10000, memory::ProtectionRead | memory::ProtectionWrite), 0);

        // The runners: round: $3 += 1; store $3 in the runner's own data word ($16); call the
        // function, which adds 1 or 2 to $2 (as last rewritten) and returns; again, forever.
        std::vector<uint32_t> runner = {
            addiu(3, 3, 1),  // 0x00 round
            sw(3, 0, 16),    // 0x04
            jal(patched),    // 0x08
            nop,             // 0x0C
            beq(0, 0, -5),   // 0x10: to round
            nop,             // 0x14
        };
        write(runner_code, runner);
        write(patched, {add_one, jr(31), nop});
        // The same in one block that branches back to itself (the translator keeps such a loop
        // inside its code).
        write(self_loop, {add_one, addiu(3, 3, 1), sw(3, 0, 16), beq(0, 0, -4), nop});

        // The writer: five times, wait, store add_two, wait, store add_one; then wait and store
        // BREAK, and stop. Eleven stores: fewer than make the page uncacheable.
        std::vector<uint32_t> writer;
        load_constant(writer, 4, target);
        load_constant(writer, 5, add_two);
        load_constant(writer, 6, add_one);
        load_constant(writer, 7, stop);
        writer.push_back(addiu(8, 0, 5));
        size_t outer = writer.size();
        spin(writer);
        writer.push_back(sw(5, 0, 4));
        spin(writer);
        writer.push_back(sw(6, 0, 4));
        writer.push_back(addiu(8, 8, -1));
        writer.push_back(bne(8, 0, static_cast<int32_t>(outer) - static_cast<int32_t>(writer.size()) - 1));
        writer.push_back(nop);
        spin(writer);
        writer.push_back(sw(7, 0, 4));
        writer.push_back(break_(1));
        write(writer_code, writer);
    }

    void write(uint32_t address, const std::vector<uint32_t>& words)
    {
        EXPECT_TRUE(memory.copy_to_guest(address, words.data(), words.size() * 4));
    }
};

void run_rewritten_runners(uint32_t start, uint32_t patch_address)
{
    SharedGuest guest(patch_address);
    engines::JitEngine engine(guest.memory, 1 << 20);
    engine.translate_at_first_execution();
    constexpr unsigned runner_count = 3;
    std::atomic<unsigned> started{0};
    std::vector<cpu::CpuState> states(runner_count);
    std::vector<cpu::Exit> exits(runner_count);
    std::vector<std::thread> runners;
    for (unsigned index = 0; index < runner_count; ++index) {
        runners.emplace_back([&, index] {
            cpu::CpuState& cpu = states[index];
            cpu.jump_to(start);
            cpu.gpr[16] = data + 64 * index;
            started.fetch_add(1);
            // No budget to speak of: only the rewrite can end this run.
            exits[index] = engine.run(cpu, UINT64_MAX);
        });
    }
    while (started.load() < runner_count)
        std::this_thread::yield();
    cpu::CpuState writer;
    std::thread writer_thread([&] {
        writer.jump_to(writer_code);
        cpu::Exit exit = engine.run(writer, UINT64_MAX);
        EXPECT_EQ(exit.kind, cpu::ExitKind::Breakpoint);
        EXPECT_EQ(exit.code, 1u);
    });
    writer_thread.join();
    for (std::thread& runner : runners)
        runner.join();

    for (unsigned index = 0; index < runner_count; ++index) {
        const cpu::CpuState& cpu = states[index];
        SCOPED_TRACE(index);
        EXPECT_EQ(exits[index].kind, cpu::ExitKind::Breakpoint);
        EXPECT_EQ(exits[index].code, 9u);
        EXPECT_EQ(exits[index].pc, patch_address);
        EXPECT_EQ(cpu.pc, patch_address);
        EXPECT_FALSE(cpu.delay_slot);
        // Every round added one or two; its stores went to the runner's own word. (A runner
        // that starts late may find the BREAK at once.)
        EXPECT_GE(cpu.gpr[2] + 1, cpu.gpr[3]);
        EXPECT_LE(cpu.gpr[2], 2 * cpu.gpr[3]);
        EXPECT_EQ(guest.memory.read<uint32_t>(data + 64 * index), cpu.gpr[3]);
        if (start == runner_code) {
            EXPECT_EQ(cpu.gpr[31], runner_code + 0x10);
        }
    }
    engines::jit::JitStatistics statistics = engine.statistics();
    EXPECT_GT(statistics.blocks_invalidated, 0u);
    EXPECT_GT(statistics.chained_exits, 0u);
    // Eleven rewrites: fewer than make the page uncacheable. But while the writer's faulting
    // store waits to be retried, a runner may translate and watch the page again, and every such
    // round is one more invalidation; in a slow build (the sanitizers) enough of them happen to
    // hand the page to the interpreter, which changes nothing the guest sees.
    EXPECT_LE(statistics.uncacheable_pages, 1u);
    EXPECT_EQ(engine.thread_count(), 0u); // every thread ended, and its translator with it
}

TEST(JitThreads, RunnersLeaveCodeAnotherThreadRewrites) { run_rewritten_runners(runner_code, patched); }

TEST(JitThreads, RunnersLeaveASelfLoopAnotherThreadRewrites) { run_rewritten_runners(self_loop, self_loop); }

// The host rewrites code (as a loader or munmap would) while runners run it: invalidate_code from
// a thread that runs no guest code at all.
TEST(JitThreads, HostInvalidationReachesEveryThread)
{
    SharedGuest guest;
    engines::JitEngine engine(guest.memory);
    engine.translate_at_first_execution();
    constexpr unsigned runner_count = 2;
    std::vector<cpu::CpuState> states(runner_count);
    std::vector<cpu::Exit> exits(runner_count);
    std::atomic<unsigned> rounds_seen{0};
    std::vector<std::thread> runners;
    for (unsigned index = 0; index < runner_count; ++index) {
        runners.emplace_back([&, index] {
            cpu::CpuState& cpu = states[index];
            cpu.jump_to(runner_code);
            cpu.gpr[16] = data + 64 * index;
            // Short runs first, so that the code is translated and chained before the rewrite.
            for (int run = 0; run < 20; ++run)
                ASSERT_EQ(engine.run(cpu, 10000).kind, cpu::ExitKind::BudgetExhausted);
            rounds_seen.fetch_add(1);
            exits[index] = engine.run(cpu, UINT64_MAX);
        });
    }
    while (rounds_seen.load() < runner_count)
        std::this_thread::yield();
    for (int change = 0; change < 6; ++change) {
        uint32_t word = change % 2 == 0 ? add_two : add_one;
        engine.invalidate_code(patched, 4);
        EXPECT_TRUE(guest.memory.copy_to_guest(patched, &word, 4));
        std::this_thread::yield();
    }
    engine.invalidate_code(patched, 4);
    EXPECT_TRUE(guest.memory.copy_to_guest(patched, &stop, 4));
    for (std::thread& runner : runners)
        runner.join();
    for (unsigned index = 0; index < runner_count; ++index) {
        EXPECT_EQ(exits[index].kind, cpu::ExitKind::Breakpoint);
        EXPECT_EQ(exits[index].pc, patched);
    }
}

// The reference interpreter has no per-run state of its own: threads run it at once.
TEST(InterpreterThreads, ConcurrentRunsKeepTheirOwnExits)
{
    SharedGuest guest;
    engines::Interpreter interpreter(guest.memory);
    std::vector<uint32_t> program = {addiu(2, 2, 1), addiu(3, 3, -1), bne(3, 0, -3), nop, break_(0)};
    std::vector<std::thread> threads;
    std::vector<cpu::Exit> exits(4);
    std::vector<cpu::CpuState> states(4);
    // Each thread's program ends in its own BREAK code, in its own copy.
    for (unsigned index = 0; index < 4; ++index) {
        program.back() = break_(10 + index);
        guest.write(runner_code + 0x400 + 0x40 * index, program);
    }
    for (unsigned index = 0; index < 4; ++index) {
        threads.emplace_back([&, index] {
            cpu::CpuState& cpu = states[index];
            cpu.jump_to(runner_code + 0x400 + 0x40 * index);
            cpu.gpr[3] = 20000;
            exits[index] = interpreter.run(cpu, UINT64_MAX);
        });
    }
    for (std::thread& thread : threads)
        thread.join();
    for (unsigned index = 0; index < 4; ++index) {
        EXPECT_EQ(exits[index].kind, cpu::ExitKind::Breakpoint);
        EXPECT_EQ(exits[index].code, 10 + index);
        EXPECT_EQ(states[index].gpr[2], 20000u);
    }
}

} // namespace

} // namespace isomorph
