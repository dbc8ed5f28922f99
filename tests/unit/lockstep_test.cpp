// The pieces of the lockstep mode (engines/lockstep/lockstep_engine.h): the reference interpreter
// run over exactly one block, the store journal, the translator run for exactly one block, and
// the engine that puts them together.

#include "engines/interp/interpreter.h"
#include "engines/jit/jit_engine.h"
#include "engines/lockstep/lockstep_engine.h"
#include "engines/store_journal.h"
#include "jit_test_support.h"

#include <gtest/gtest.h>

namespace isomorph::jit_test {
namespace {

using cpu::ExitKind;

constexpr uint32_t t0 = 8, t1 = 9, gp = 28;

// The path of a block of consecutive instructions from code_address up to end.
std::vector<engines::GuestRange> path_to(uint32_t end)
{
    return {engines::GuestRange{code_address, end}};
}

// t0 counts to t1 in a block that branches back to its own start, then BREAK.
const std::vector<uint32_t> counting_loop = {
    addiu(t0, t0, 1), // code_address
    bne(t0, t1, -2),  // back to code_address
    nop,
    break_(7),
};

TEST(LockstepMode, InterpreterRunBlockStopsAfterTheBranchBackToItsStart)
{
    Guest guest(counting_loop);
    guest.cpu.gpr[t1] = 3;
    engines::Interpreter interpreter(guest.memory);
    cpu::Exit exit = interpreter.run_block(guest.cpu, path_to(code_address + 12));
    EXPECT_EQ(exit.kind, ExitKind::BudgetExhausted);
    EXPECT_EQ(guest.cpu.gpr[t0], 1u);
    EXPECT_EQ(guest.cpu.pc, code_address);
    EXPECT_EQ(guest.cpu.instructions_retired, 3u);
}

TEST(LockstepMode, JitRunBlockRunsOneBlockUnchained)
{
    Guest guest(counting_loop);
    guest.cpu.gpr[t1] = 3;
    engines::JitEngine jit(guest.memory);
    jit.translate_at_first_execution();
    for (uint32_t round = 1; round <= 2; ++round) {
        std::optional<cpu::Exit> exit = jit.run_block(guest.cpu);
        ASSERT_TRUE(exit);
        EXPECT_EQ(exit->kind, ExitKind::BudgetExhausted);
        EXPECT_EQ(guest.cpu.gpr[t0], round);
        EXPECT_EQ(guest.cpu.pc, code_address);
        EXPECT_EQ(guest.cpu.instructions_retired, 3u * round);
    }
}

// A block translated for the FPU's common mode that finds FR = 0 leaves unrun; run_block then
// runs its translation that tests the mode, as the interpreter would run the block.
TEST(LockstepMode, JitRunBlockRunsABlockInAnUncommonFpuMode)
{
    const std::vector<uint32_t> program = {immediate(0x35, gp, 2, 8), immediate(0x3D, gp, 2, 16), break_()}; // ldc1, sdc1
    Guest reference(program);
    Guest translated(program);
    engines::Interpreter interpreter(reference.memory);
    engines::JitEngine jit(translated.memory);
    jit.translate_at_first_execution();
    for (bool fr : {true, false}) {
        SCOPED_TRACE(fr ? "FR = 1" : "FR = 0");
        for (Guest* guest : {&reference, &translated}) {
            guest->cpu.jump_to(code_address);
            guest->cpu.fpu.fr = fr;
        }
        cpu::Exit reference_exit = interpreter.run_block(reference.cpu, path_to(code_address + 12));
        std::optional<cpu::Exit> translated_exit = jit.run_block(translated.cpu);
        ASSERT_TRUE(translated_exit);
        EXPECT_EQ(reference_exit.kind, ExitKind::Breakpoint);
        expect_same_exit(reference_exit, *translated_exit);
        expect_same_state(reference.cpu, translated.cpu);
        expect_same_data(reference, translated);
    }
    EXPECT_EQ(jit.statistics().fpu_mode_blocks, 1u);
}

TEST(LockstepMode, BranchLikelyNotTakenEndsTheBlockPastItsSlot)
{
    // beql t0, t1, +3 with t0 != t1 skips its delay slot; the translator counts one instruction.
    const std::vector<uint32_t> program = {immediate(0x14, t0, t1, 3), addiu(t0, t0, 100), break_(2)};
    Guest reference(program);
    Guest translated(program);
    reference.cpu.gpr[t1] = translated.cpu.gpr[t1] = 5;
    engines::Interpreter interpreter(reference.memory);
    cpu::Exit reference_exit = interpreter.run_block(reference.cpu, path_to(code_address + 8));
    engines::JitEngine jit(translated.memory);
    jit.translate_at_first_execution();
    std::optional<cpu::Exit> translated_exit = jit.run_block(translated.cpu);
    ASSERT_TRUE(translated_exit);
    expect_same_exit(reference_exit, *translated_exit);
    expect_same_state(reference.cpu, translated.cpu);
    EXPECT_EQ(reference.cpu.pc, code_address + 8);
    EXPECT_EQ(reference.cpu.gpr[t0], 0u);
    EXPECT_EQ(reference.cpu.instructions_retired, 1u);
}

TEST(LockstepMode, JournalRecordsAndRollsBackStores)
{
    Guest guest({sw(t0, 0, gp), sw(t1, 4, gp), break_(1)});
    guest.cpu.gpr[t0] = 0x11111111;
    guest.cpu.gpr[t1] = 0x22222222;
    uint32_t before0 = guest.memory.read<uint32_t>(data_address + 0x100);
    uint32_t before1 = guest.memory.read<uint32_t>(data_address + 0x104);
    engines::Interpreter interpreter(guest.memory);
    engines::StoreJournal journal(guest.memory);
    cpu::Exit exit = interpreter.run_block(guest.cpu, path_to(code_address + 12), journal);
    EXPECT_EQ(exit.kind, ExitKind::Breakpoint);
    EXPECT_EQ(exit.pc, code_address + 8);
    ASSERT_EQ(journal.entries().size(), 2u);
    journal.capture_after();
    EXPECT_EQ(journal.entries()[0].address, data_address + 0x100);
    EXPECT_EQ(journal.entries()[1].after[0], 0x22);
    journal.roll_back();
    EXPECT_EQ(guest.memory.read<uint32_t>(data_address + 0x100), before0);
    EXPECT_EQ(guest.memory.read<uint32_t>(data_address + 0x104), before1);
}

TEST(LockstepMode, EngineRunsTheLoopToItsBreak)
{
    Guest guest(counting_loop);
    guest.cpu.gpr[t1] = 3;
    engines::LockstepEngine engine(guest.memory);
    cpu::Exit exit = engine.run(guest.cpu, 1000);
    EXPECT_EQ(exit.kind, ExitKind::Breakpoint);
    EXPECT_EQ(exit.pc, code_address + 12);
    EXPECT_EQ(exit.code, 7u);
    EXPECT_EQ(guest.cpu.gpr[t0], 3u);
    EXPECT_EQ(engine.blocks_compared(), 4u); // the loop's block three times, then the BREAK's
}

} // namespace
} // namespace isomorph::jit_test
