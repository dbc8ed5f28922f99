// The JIT's code cache: the native table agrees with the emitter, code changes drop
// translations (self-modifying code through the code-page watch, and invalidate_code), a full
// cache is flushed safely, and the views show guest and host code.

#include "engines/interp/interpreter.h"
#include "engines/jit/emitter.h"
#include "engines/jit/jit_engine.h"
#include "engines/jit/native_table.h"
#include "isa/decoder.h"
#include "jit_test_support.h"

#include <gtest/gtest.h>

namespace isomorph::jit_test {

namespace jit = engines::jit;

namespace {

jit::GuestInstruction instruction_for(uint32_t word)
{
    return jit::GuestInstruction{code_address, word, isa::decode(word)};
}

} // namespace

// Every row the table calls native gets a native fast path for a typical encoding, and rows
// outside the table do not.
TEST(JitNativeTable, AgreesWithTheEmitter)
{
    const uint32_t words[] = {
        special(0, 2, 3, 4, 0x00), special(0, 2, 3, 4, 0x02), special(0, 2, 3, 4, 0x03), special(1, 2, 3, 4, 0x02),
        special(5, 2, 3, 0, 0x04), special(5, 2, 3, 0, 0x06), special(5, 2, 3, 0, 0x07), special(5, 2, 3, 1, 0x06),
        special(5, 2, 3, 0, 0x21), special(5, 2, 3, 0, 0x23), special(5, 2, 3, 0, 0x24), special(5, 2, 3, 0, 0x25),
        special(5, 2, 3, 0, 0x26), special(5, 2, 3, 0, 0x27), special(5, 2, 3, 0, 0x2A), special(5, 2, 3, 0, 0x2B),
        special(5, 2, 3, 0, 0x0A), special(5, 2, 3, 0, 0x0B), addiu(3, 2, 5), immediate(0xA, 2, 3, 5),
        immediate(0xB, 2, 3, 5), immediate(0xC, 2, 3, 5), ori(3, 2, 5), immediate(0xE, 2, 3, 5), lui(3, 5),
        special(0, 0, 3, 0, 0x10), special(0, 0, 3, 0, 0x12), special(2, 0, 0, 0, 0x11), special(2, 0, 0, 0, 0x13),
        special(2, 3, 0, 0, 0x18), special(2, 3, 0, 0, 0x19), special2(2, 3, 4, 0, 0x02), special3(0, 2, 3, 0x10, 0x20),
        special3(0, 2, 3, 0x18, 0x20), special3(2, 3, 7, 4, 0x00), special2(2, 3, 3, 0, 0x20),
        immediate(0x20, 28, 3, 4), immediate(0x24, 28, 3, 4), immediate(0x21, 28, 3, 4), immediate(0x25, 28, 3, 4),
        lw(3, 4, 28), immediate(0x28, 28, 3, 4), immediate(0x29, 28, 3, 4), sw(3, 4, 28), special(0, 0, 0, 0, 0x0F),
        immediate(0x33, 28, 1, 4), immediate(0x31, 28, 3, 4), immediate(0x39, 28, 3, 4), immediate(0x35, 28, 4, 8),
        immediate(0x3D, 28, 4, 8), 0x7C03E83Bu /* rdhwr v1, $29 */, special3(0, 2, 3, 0x02, 0x20) /* wsbh */,
        immediate(0x22, 28, 3, 4), immediate(0x26, 28, 3, 4), immediate(0x2A, 28, 3, 4), immediate(0x2E, 28, 3, 4),
        // add, sub, mul, div .s and .d f6, f4, f2
        0x46022180u, 0x46022181u, 0x46022182u, 0x46022183u, 0x46222180u, 0x46222181u, 0x46222182u, 0x46222183u,
        // madd, maddu, msub, msubu, div, divu, teq, tne, ins
        special2(2, 3, 0, 0, 0x00), special2(2, 3, 0, 0, 0x01), special2(2, 3, 0, 0, 0x04),
        special2(2, 3, 0, 0, 0x05), special(2, 3, 0, 0, 0x1A), special(2, 3, 0, 0, 0x1B), special(2, 3, 0, 0, 0x34),
        special(2, 3, 0, 0, 0x36), special3(2, 3, 7, 4, 0x04),
        // Not native: they run their semantics through helpers.
        special(2, 3, 4, 0, 0x20), special(2, 3, 0, 0, 0x30) /* tge */, immediate(0x38, 28, 3, 4),
        immediate(0x30, 28, 3, 4), 0x46002184u /* sqrt.s */, 0x7C03103Bu /* rdhwr v1, $2: CC */,
    };
    unsigned native = 0;
    for (uint32_t word : words) {
        jit::GuestInstruction instruction = instruction_for(word);
        SCOPED_TRACE(testing::Message() << isa::info(instruction.decoded.opcode).name);
        EXPECT_EQ(jit::emits_natively(instruction), jit::is_native(instruction.decoded));
        native += jit::is_native(instruction.decoded);
    }
    // Every non-branch row of the table appeared above.
    unsigned native_non_branches = 0;
    for (isa::Opcode opcode : jit::native_opcodes)
        native_non_branches += !isa::info(opcode).has(isa::Branch);
    EXPECT_EQ(native, native_non_branches);
    // An EXT whose field runs past bit 31 is reserved: its helper raises, so no fast path.
    EXPECT_FALSE(jit::emits_natively(instruction_for(special3(2, 3, 31, 4, 0x00))));
    // An INS whose msb is below its lsb is reserved: its helper raises.
    EXPECT_FALSE(jit::emits_natively(instruction_for(special3(2, 3, 3, 4, 0x04))));
    // RDHWR of CC counts retired instructions: its helper.
    EXPECT_FALSE(jit::emits_natively(instruction_for(0x7C03103Bu /* rdhwr v1, $2 */)));
}

// A guest store into a page holding translated code drops the translation: the next run of the
// changed code runs the new instruction, as the interpreter does.
TEST(JitCodeCache, SelfModifyingCodeIsRetranslated)
{
    // patch: the instruction at 0x100 adds 1 to $2 the first time, 100 after the loop rewrites it.
    std::vector<uint32_t> program(0x200 / 4, nop);
    uint32_t index = 0;
    auto emit = [&](uint32_t word) { program[index++] = word; };
    emit(addiu(3, 0, 3));                          // 0x00: three rounds
    emit(lui(6, code_address >> 16));              // 0x04
    emit(lui(7, 0x2442));                          // 0x08: $7 = addiu $2, $2, 100
    emit(ori(7, 7, 100));                          // 0x0C
    emit(jump(3, code_address + 0x100));           // 0x10: round: jal patch
    emit(nop);                                     // 0x14
    emit(sw(7, 0x100, 6));                         // 0x18: rewrite the instruction at 0x100
    emit(addiu(3, 3, -1));                         // 0x1C
    emit(bne(3, 0, -5));                           // 0x20: bne $3, $0, round (0x10)
    emit(nop);                                     // 0x24
    emit(break_(7));                               // 0x28
    program[0x100 / 4] = addiu(2, 2, 1);
    program[0x104 / 4] = jr(31);
    program[0x108 / 4] = nop;

    const uint8_t writable_code = memory::ProtectionRead | memory::ProtectionWrite | memory::ProtectionExecute;
    Guest reference(program, writable_code), translated(program, writable_code);
    engines::Interpreter interpreter(reference.memory);
    engines::JitEngine jit(translated.memory);
    jit.translate_at_first_execution();
    cpu::Exit expected = interpreter.run(reference.cpu, 100000);
    cpu::Exit actual = jit.run(translated.cpu, 100000);
    expect_same_exit(expected, actual);
    expect_same_state(reference.cpu, translated.cpu);
    EXPECT_EQ(translated.cpu.gpr[2], 201u);
    EXPECT_GT(jit.statistics().blocks_invalidated, 0u);
}

// invalidate_code (what the system-call layer calls on munmap and mprotect) drops blocks and
// their chains; code written by the host afterwards runs.
TEST(JitCodeCache, InvalidateCodeDropsBlocksAndChains)
{
    std::vector<uint32_t> program = {addiu(2, 2, 1), addiu(3, 3, -1), bne(3, 0, -3), nop, break_(7)};
    Guest guest(program, memory::ProtectionRead | memory::ProtectionWrite | memory::ProtectionExecute);
    guest.cpu.gpr[3] = 10;
    engines::JitEngine jit(guest.memory);
    jit.translate_at_first_execution();
    EXPECT_EQ(jit.run(guest.cpu, 100000).kind, cpu::ExitKind::Breakpoint);
    EXPECT_EQ(guest.cpu.gpr[2], 10u);
    EXPECT_GT(jit.statistics().chained_exits, 0u);

    jit.invalidate_code(code_address, 4);
    EXPECT_GT(jit.statistics().blocks_invalidated, 0u);
    uint32_t changed = addiu(2, 2, 5);
    ASSERT_TRUE(guest.memory.copy_to_guest(code_address, &changed, 4)); // the loader writes as the host
    guest.cpu.jump_to(code_address);
    guest.cpu.gpr[2] = 0;
    guest.cpu.gpr[3] = 10;
    EXPECT_EQ(jit.run(guest.cpu, 100000).kind, cpu::ExitKind::Breakpoint);
    EXPECT_EQ(guest.cpu.gpr[2], 50u);
}

// Staged emulation: the reference interpreter runs a block until the dispatcher has reached it
// translate_threshold times; then it is translated, chained and runs as host code.
TEST(JitCodeCache, BlocksAreTranslatedWhenTheDispatcherHasReachedThemOftenEnough)
{
    // loop: four instructions, reached once per round; then a break reached once.
    std::vector<uint32_t> program = {addiu(2, 2, 1), addiu(3, 3, -1), bne(3, 0, -3), nop, break_(7)};
    constexpr uint32_t threshold = 5;
    for (uint32_t rounds : {threshold - 1, threshold, 3 * threshold}) {
        SCOPED_TRACE(testing::Message() << rounds << " rounds");
        Guest reference(program), translated(program);
        reference.cpu.gpr[3] = translated.cpu.gpr[3] = rounds;
        engines::Interpreter interpreter(reference.memory);
        engines::JitEngine jit(translated.memory);
        jit.set_translate_threshold(threshold);
        cpu::Exit expected = interpreter.run(reference.cpu, 100000);
        cpu::Exit actual = jit.run(translated.cpu, 100000);
        expect_same_exit(expected, actual);
        expect_same_state(reference.cpu, translated.cpu);
        jit::JitStatistics statistics = jit.statistics();
        // The loop's first threshold - 1 rounds and the break are interpreted.
        uint32_t interpreted_rounds = std::min(rounds, threshold - 1);
        EXPECT_EQ(statistics.blocks_translated, rounds >= threshold ? 1u : 0u);
        EXPECT_EQ(statistics.cold_steps, 4 * interpreted_rounds + (translated.cpu.instructions_retired - 4 * rounds));
        EXPECT_EQ(statistics.interpreter_steps, statistics.cold_steps);
        // The loop's back edge, to itself, once the loop is translated.
        EXPECT_EQ(statistics.chained_exits, rounds > threshold ? 1u : 0u);
    }
}

// The staged emulation's interpreter run asks at every control transfer's destination whether to
// stop: after a taken branch's delay slot, after a not-taken one's, and past the slot a
// branch-likely nullifies; never elsewhere. Stopping leaves the state at that instruction.
TEST(JitCodeCache, ColdRunsStopOnlyAtControlTransfers)
{
    // 0x00: a loop of two rounds; 0x10: a beql not taken (its slot nullified); 0x18: a j; 0x24: break.
    std::vector<uint32_t> program = {addiu(3, 3, -1),     bne(3, 0, -2),         addiu(2, 2, 1), nop,
                                     immediate(0x14, 0, 2, 4), addiu(2, 2, 100), jump(2, code_address + 0x24),
                                     addiu(2, 2, 10),     break_(1),             break_(7)};
    struct Record {
        std::vector<uint32_t> destinations;
        size_t stop_at = ~size_t{0};
    };
    auto stop = [](void* context, uint32_t pc) {
        auto& record = *static_cast<Record*>(context);
        record.destinations.push_back(pc);
        return record.destinations.size() == record.stop_at;
    };
    Guest guest(program);
    guest.cpu.gpr[3] = 2;
    engines::Interpreter interpreter(guest.memory);
    Record record;
    EXPECT_EQ(interpreter.run_until(guest.cpu, 1000, stop, &record).kind, cpu::ExitKind::Breakpoint);
    EXPECT_EQ(guest.cpu.gpr[2], 12u);
    std::vector<uint32_t> expected = {code_address, code_address + 0x0C, code_address + 0x18, code_address + 0x24};
    EXPECT_EQ(record.destinations, expected);

    Guest stopped(program);
    stopped.cpu.gpr[3] = 2;
    engines::Interpreter second(stopped.memory);
    Record stop_second{{}, 2};
    EXPECT_EQ(second.run_until(stopped.cpu, 1000, stop, &stop_second).kind, cpu::ExitKind::BudgetExhausted);
    EXPECT_EQ(stopped.cpu.pc, code_address + 0x0C);
    EXPECT_FALSE(stopped.cpu.delay_slot);
    EXPECT_EQ(stopped.cpu.instructions_retired, 6u);
}

namespace {

// A loop of rounds rounds closed by b at 0x14: $2 counts the rounds, $4 adds 2 in the b's slot.
std::vector<uint32_t> loop_closed_by_b(int32_t rounds)
{
    return {
        addiu(3, 0, rounds), // 0x00
        addiu(2, 2, 1),      // 0x04: loop
        addiu(3, 3, -1),     // 0x08
        beq(3, 0, 3),        // 0x0C: to 0x1C when done
        nop,                 // 0x10
        beq(0, 0, -5),       // 0x14: b loop
        addiu(4, 4, 2),      // 0x18: (delay slot)
        break_(7),           // 0x1C
    };
}

} // namespace

// A block goes on through b and j at their targets: a loop closed by b becomes one block whose
// second range is the loop's head. Invalidating the head's words drops it, though the block
// starts elsewhere.
TEST(JitCodeCache, BlocksFollowJumpsAndAreDroppedThroughAnyOfTheirRanges)
{
    std::vector<uint32_t> program = loop_closed_by_b(10);
    Guest guest(program, memory::ProtectionRead | memory::ProtectionWrite | memory::ProtectionExecute);
    jit::GuestBlock tail = jit::discover_block(guest.memory, code_address + 0x14);
    std::vector<engines::GuestRange> ranges = tail.ranges();
    ASSERT_EQ(ranges.size(), 2u);
    EXPECT_EQ(ranges[0].start, code_address + 0x14);
    EXPECT_EQ(ranges[0].end, code_address + 0x1C);
    EXPECT_EQ(ranges[1].start, code_address + 0x04);
    EXPECT_EQ(ranges[1].end, code_address + 0x14);

    engines::JitEngine jit(guest.memory);

    jit.translate_at_first_execution();
    jit.translate_superblocks_at_once();
    EXPECT_EQ(jit.run(guest.cpu, 100000).kind, cpu::ExitKind::Breakpoint);
    EXPECT_EQ(guest.cpu.gpr[2], 10u);
    EXPECT_EQ(guest.cpu.gpr[4], 18u);
    EXPECT_EQ(guest.cpu.instructions_retired, 1u + 9 * 6 + 4);

    uint64_t dropped = jit.statistics().blocks_invalidated;
    jit.invalidate_code(code_address + 0x08, 4); // in the loop, which both blocks translate
    // The entry block, and the block at the b, whose second range holds the word.
    EXPECT_EQ(jit.statistics().blocks_invalidated, dropped + 2);
    uint32_t changed = addiu(3, 3, -2);
    ASSERT_TRUE(guest.memory.copy_to_guest(code_address + 0x08, &changed, 4));
    guest.cpu = cpu::CpuState{};
    guest.cpu.jump_to(code_address);
    EXPECT_EQ(jit.run(guest.cpu, 100000).kind, cpu::ExitKind::Breakpoint);
    EXPECT_EQ(guest.cpu.gpr[2], 5u);
}

// A basic block that would grow as a superblock is translated again as one once hot: the loop
// closed by b runs as basic blocks for its first rounds and as one superblock after, with the
// same results as the interpreter.
TEST(JitCodeCache, HotBasicBlocksAreTranslatedAgainAsSuperblocks)
{
    std::vector<uint32_t> program = loop_closed_by_b(500);
    Guest reference(program), translated(program);
    engines::Interpreter interpreter(reference.memory);
    engines::JitEngine jit(translated.memory);
    jit.translate_at_first_execution();
    expect_same_exit(interpreter.run(reference.cpu, 100000), jit.run(translated.cpu, 100000));
    expect_same_state(reference.cpu, translated.cpu);
    jit::JitStatistics statistics = jit.statistics();
    EXPECT_GE(statistics.hot_blocks, 1u);
    EXPECT_LE(statistics.hot_blocks, 3u);
    // The superblock at the b is a self-loop: the 500 rounds leave no more than the basic blocks'
    // first rounds and the end through the dispatcher or a chain.
    EXPECT_LT(statistics.unchained_exits, 20u);
}

namespace {

constexpr uint32_t andi(uint32_t rt, uint32_t rs, uint32_t value) { return immediate(0xC, rs, rt, static_cast<int32_t>(value)); }

// A loop of rounds rounds whose forward branch at 0x0C is taken seven rounds in eight, to 0x1C
// past the two instructions that count the eighth rounds in $6 and $7; $4 counts in its slot.
std::vector<uint32_t> loop_with_a_mostly_taken_branch(int32_t rounds)
{
    return {
        addiu(3, 0, rounds), // 0x00
        addiu(2, 2, 1),      // 0x04: loop
        andi(5, 2, 7),       // 0x08
        bne(5, 0, 3),        // 0x0C: to 0x1C unless $2 is a multiple of 8
        addiu(4, 4, 5),      // 0x10: (delay slot)
        addiu(6, 6, 1),      // 0x14
        addiu(7, 7, 3),      // 0x18
        addiu(3, 3, -1),     // 0x1C
        bne(3, 0, -8),       // 0x20: back to loop
        nop,                 // 0x24
        break_(7),           // 0x28
    };
}

} // namespace

// A superblock goes on with the path its branch took more often while the basic block ran: the
// taken one when the profile says so (a second range at the target), the fall-through otherwise.
TEST(JitFrontend, SuperblocksFollowTheWayTheirBranchesWentMostOften)
{
    Guest guest(loop_with_a_mostly_taken_branch(10));
    uint32_t loop = code_address + 0x04, branch = code_address + 0x0C;
    auto ranges_with = [&](const jit::BranchProfile* profile) {
        return jit::discover_block(guest.memory, loop, jit::BlockShape::Superblock, profile).ranges();
    };
    jit::BranchProfile taken{{branch, jit::BranchCounts{7, 1}}};
    std::vector<engines::GuestRange> ranges = ranges_with(&taken);
    ASSERT_EQ(ranges.size(), 2u);
    EXPECT_EQ(ranges[0].start, loop);
    EXPECT_EQ(ranges[0].end, code_address + 0x14);
    EXPECT_EQ(ranges[1].start, code_address + 0x1C);
    EXPECT_EQ(ranges[1].end, code_address + 0x28);

    const jit::BranchProfile even{{branch, jit::BranchCounts{4, 4}}};
    for (const jit::BranchProfile* profile : {&even, static_cast<const jit::BranchProfile*>(nullptr)}) {
        ranges = ranges_with(profile);
        ASSERT_EQ(ranges.size(), 1u);
        EXPECT_EQ(ranges[0].start, loop);
        EXPECT_EQ(ranges[0].end, code_address + 0x28);
    }
}

// The basic block at the loop counts which way its branch goes until it is hot; its superblock
// then follows the taken branch to the loop's end and is one self-loop, which leaves by a side
// exit on the eighth rounds. It computes what the interpreter does.
TEST(JitCodeCache, HotLoopsFollowTheirMostlyTakenBranches)
{
    std::vector<uint32_t> program = loop_with_a_mostly_taken_branch(800);
    Guest reference(program), translated(program);
    engines::Interpreter interpreter(reference.memory);
    engines::JitEngine jit(translated.memory);
    jit.translate_at_first_execution();
    expect_same_exit(interpreter.run(reference.cpu, 100000), jit.run(translated.cpu, 100000));
    expect_same_state(reference.cpu, translated.cpu);
    EXPECT_EQ(translated.cpu.gpr[6], 100u);

    std::optional<engines::JitEngine::BlockExtent> loop = jit.block_at(code_address + 0x04);
    ASSERT_TRUE(loop);
    ASSERT_EQ(loop->path.size(), 2u);
    EXPECT_EQ(loop->path[1].start, code_address + 0x1C);
    jit::JitStatistics statistics = jit.statistics();
    EXPECT_GE(statistics.hot_blocks, 1u);
    // Chained: the side exit and the path back from the eighth rounds' code.
    EXPECT_LT(statistics.unchained_exits, 20u);
}

// A code cache too small for the program is flushed when full and goes on translating.
TEST(JitCodeCache, FlushesWhenFull)
{
    std::vector<uint32_t> program;
    for (unsigned round = 0; round < 1000; ++round) {
        program.push_back(addiu(2, 2, static_cast<int32_t>(round)));
        // One block per round, chained to the next: a branch always taken that the blocks do not
        // follow, as they follow b and j.
        program.push_back(regimm(0, 1, 1)); // bgez $0, +1
        program.push_back(addiu(4, 4, 1));
    }
    program.push_back(addiu(3, 3, -1));
    program.push_back(bne(3, 0, -static_cast<int32_t>(program.size())));
    program.push_back(nop);
    program.push_back(break_(7));
    Guest reference(program), translated(program);
    reference.cpu.gpr[3] = translated.cpu.gpr[3] = 4;
    engines::Interpreter interpreter(reference.memory);
    engines::JitEngine jit(translated.memory, 64 * 1024);
    jit.translate_at_first_execution();
    expect_same_exit(interpreter.run(reference.cpu, 1000000), jit.run(translated.cpu, 1000000));
    expect_same_state(reference.cpu, translated.cpu);
    EXPECT_GT(jit.statistics().cache_flushes, 0u);
    EXPECT_LE(jit.statistics().code_cache_bytes, 64u * 1024);
}

// The view shows each guest instruction beside the host code it became.
TEST(JitListing, ShowsGuestAndHostCode)
{
    std::vector<uint32_t> program = {addiu(2, 3, 7), lw(4, 8, 28), break_(7)};
    Guest guest(program);
    engines::JitEngine jit(guest.memory);
    jit.translate_at_first_execution();
    std::string listing = jit.listing(code_address);
    EXPECT_NE(listing.find("addiu\tv0,v1,7"), std::string::npos) << listing;
    EXPECT_NE(listing.find("lw\ta0,8(gp)"), std::string::npos) << listing;
    EXPECT_NE(listing.find("mov dword ptr [rbx + 8], "), std::string::npos) << listing; // v0 written back
    EXPECT_NE(listing.find("[r15 + rax]"), std::string::npos) << listing;
}

} // namespace isomorph::jit_test

namespace isomorph::jit_test {

// A loop that keeps storing into the page its own code lives in: after a few rounds of
// invalidation the page is left to the interpreter, and the result is the interpreter's.
TEST(JitCodeCache, PagesInvalidatedAgainAndAgainGoToTheInterpreter)
{
    std::vector<uint32_t> program = {
        lui(6, code_address >> 16),  // 0x00
        addiu(3, 0, 200),            // 0x04
        addiu(2, 2, 3),              // 0x08: loop
        sw(2, 0x800, 6),             // 0x0C: a store into the code page
        addiu(3, 3, -1),             // 0x10
        bne(3, 0, -4),               // 0x14: bne $3, $0, loop
        lw(4, 0x800, 6),             // 0x18: (delay slot)
        break_(7),                   // 0x1C
    };
    const uint8_t writable_code = memory::ProtectionRead | memory::ProtectionWrite | memory::ProtectionExecute;
    Guest reference(program, writable_code), translated(program, writable_code);
    engines::Interpreter interpreter(reference.memory);
    engines::JitEngine jit(translated.memory);
    jit.translate_at_first_execution();
    expect_same_exit(interpreter.run(reference.cpu, 100000), jit.run(translated.cpu, 100000));
    expect_same_state(reference.cpu, translated.cpu);
    EXPECT_EQ(translated.cpu.gpr[4], 600u);
    jit::JitStatistics statistics = jit.statistics();
    EXPECT_EQ(statistics.uncacheable_pages, 1u);
    EXPECT_GT(statistics.interpreter_steps, 100u);
}

} // namespace isomorph::jit_test
