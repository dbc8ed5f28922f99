// The JIT against the reference interpreter: random instruction sequences and hand-written
// programs run under both engines, each in its own address space, and the exits, the CpuStates
// and the data memory must be equal. The lockstep tests run both engines in small budget slices
// and compare the state at every slice boundary.

#include "engines/interp/interpreter.h"
#include "engines/jit/jit_engine.h"
#include "jit_test_support.h"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>

#include <functional>
#include <limits>
#include <random>

namespace isomorph::jit_test {

namespace jit = engines::jit;

namespace {

// A random program of mostly straight-line code with forward branches, ending in BREAK.
class ProgramGenerator {
public:
    explicit ProgramGenerator(uint32_t seed) : m_random(seed) {}

    std::vector<uint32_t> generate(unsigned length)
    {
        std::vector<uint32_t> program;
        while (program.size() < length) {
            unsigned remaining = length - static_cast<unsigned>(program.size());
            if (remaining > 10 && chance(12)) {
                program.push_back(branch(static_cast<uint32_t>(program.size()), remaining));
                program.push_back(straight_line()); // the delay slot
            } else {
                program.push_back(straight_line());
            }
        }
        program.push_back(break_(7));
        program.push_back(nop);
        return program;
    }

    void randomize(cpu::CpuState& cpu)
    {
        for (unsigned number = 1; number < 32; ++number) {
            if (number == 28)
                continue;
            switch (pick(4)) {
            case 0: cpu.gpr[number] = pick(16); break;
            case 1: cpu.gpr[number] = static_cast<uint32_t>(-static_cast<int32_t>(pick(16))); break;
            default: cpu.gpr[number] = static_cast<uint32_t>(m_random()); break;
            }
        }
        cpu.hi = static_cast<uint32_t>(m_random());
        cpu.lo = static_cast<uint32_t>(m_random());
    }

private:
    uint32_t pick(uint32_t limit) { return static_cast<uint32_t>(m_random() % limit); }
    bool chance(unsigned percent) { return pick(100) < percent; }
    // Registers an instruction may write: not $28, the data pointer.
    uint32_t destination()
    {
        uint32_t number = pick(28);
        return chance(3) ? 31 : number;
    }
    uint32_t source() { return pick(32); }

    uint32_t branch(uint32_t index, unsigned remaining)
    {
        // Forward only, at least past the delay slot, never beyond the final BREAK.
        int32_t offset = static_cast<int32_t>(1 + pick(std::min(remaining - 2, 12u)));
        uint32_t rs = source(), rt = source();
        switch (pick(16)) {
        case 0: return beq(rs, rt, offset);
        case 1: return bne(rs, rt, offset);
        case 2: return immediate(6, rs, 0, offset);    // blez
        case 3: return immediate(7, rs, 0, offset);    // bgtz
        case 4: return immediate(0x14, rs, rt, offset); // beql
        case 5: return immediate(0x15, rs, rt, offset); // bnel
        case 6: return immediate(0x16, rs, 0, offset);  // blezl
        case 7: return immediate(0x17, rs, 0, offset);  // bgtzl
        case 8: return regimm(rs, 0, offset);           // bltz
        case 9: return regimm(rs, 1, offset);           // bgez
        case 10: return regimm(rs, 2, offset);          // bltzl
        case 11: return regimm(rs, 3, offset);          // bgezl
        case 12: return regimm(rs, 0x10, offset);       // bltzal
        case 13: return regimm(rs, 0x11, offset);       // bgezal
        case 14: return regimm(rs, chance(50) ? 0x12 : 0x13, offset); // bltzall, bgezall
        default: return jump(chance(50) ? 2 : 3, code_address + 4 * (index + 1 + static_cast<uint32_t>(offset)));
        }
    }

    uint32_t memory_offset(unsigned size)
    {
        int32_t offset = static_cast<int32_t>(pick(128)) * 4 - 256 + static_cast<int32_t>(pick(4) & ~(size - 1));
        if (chance(2))
            offset += 1; // now and then a misaligned access, which raises an address error
        return static_cast<uint32_t>(offset);
    }

    uint32_t straight_line()
    {
        uint32_t rd = destination(), rs = source(), rt = source(), sa = pick(32);
        int32_t value = static_cast<int32_t>(static_cast<int16_t>(m_random()));
        if (chance(30))
            value = static_cast<int32_t>(pick(16)) - 8;
        switch (pick(48)) {
        case 0: return special(0, rt, rd, sa, 0x00);      // sll
        case 1: return special(0, rt, rd, sa, 0x02);      // srl
        case 2: return special(0, rt, rd, sa, 0x03);      // sra
        case 3: return special(1, rt, rd, sa, 0x02);      // rotr
        case 4: return special(rs, rt, rd, 0, 0x04);      // sllv
        case 5: return special(rs, rt, rd, 0, 0x06);      // srlv
        case 6: return special(rs, rt, rd, 0, 0x07);      // srav
        case 7: return special(rs, rt, rd, 1, 0x06);      // rotrv
        case 8: return special(rs, rt, rd, 0, 0x0A);      // movz
        case 9: return special(rs, rt, rd, 0, 0x0B);      // movn
        case 10: return special(0, 0, rd, 0, chance(50) ? 0x10 : 0x12); // mfhi, mflo
        case 11: return special(rs, 0, 0, 0, chance(50) ? 0x11 : 0x13); // mthi, mtlo
        case 12: return special(rs, rt, 0, 0, chance(50) ? 0x18 : 0x19); // mult, multu
        case 13: return special(rs, rt, 0, 0, chance(50) ? 0x1A : 0x1B); // div, divu (helpers)
        case 14: return special(rs, rt, rd, 0, chance(90) ? 0x21 : 0x20); // addu, now and then add
        case 15: return special(rs, rt, rd, 0, chance(90) ? 0x23 : 0x22); // subu, now and then sub
        case 16: return special(rs, rt, rd, 0, 0x24 + pick(4)); // and, or, xor, nor
        case 17: return special(rs, rt, rd, 0, chance(50) ? 0x2A : 0x2B); // slt, sltu
        case 18: return immediate(chance(95) ? 9 : 8, rs, rd, value); // addiu, now and then addi
        case 19: return immediate(0xA + pick(2), rs, rd, value);       // slti, sltiu
        case 20: return immediate(0xC + pick(3), rs, rd, value);       // andi, ori, xori
        case 21: return immediate(0xF, 0, rd, value);                   // lui
        case 22: case 23: return immediate(0x23, 28, rd, static_cast<int32_t>(memory_offset(4))); // lw
        case 24: return immediate(chance(50) ? 0x20 : 0x24, 28, rd, static_cast<int32_t>(memory_offset(1))); // lb, lbu
        case 25: return immediate(chance(50) ? 0x21 : 0x25, 28, rd, static_cast<int32_t>(memory_offset(2))); // lh, lhu
        case 26: case 27: return immediate(0x2B, 28, rt, static_cast<int32_t>(memory_offset(4))); // sw
        case 28: return immediate(0x28, 28, rt, static_cast<int32_t>(memory_offset(1)));         // sb
        case 29: return immediate(0x29, 28, rt, static_cast<int32_t>(memory_offset(2)));         // sh
        case 30: return immediate(chance(50) ? 0x22 : 0x26, 28, rd, static_cast<int32_t>(memory_offset(1))); // lwl, lwr
        case 31: return immediate(chance(50) ? 0x2A : 0x2E, 28, rt, static_cast<int32_t>(memory_offset(1))); // swl, swr
        case 32: return special2(rs, rt, rd, 0, 0x02);                // mul
        case 33: return special2(rs, rt, 0, 0, pick(2));              // madd, maddu
        case 34: return special2(rs, rd, rd, 0, chance(50) ? 0x20 : 0x21); // clz, clo
        case 35: {                                                    // ext, now and then an invalid one
            uint32_t lsb = pick(32), msbd = chance(95) ? pick(32 - lsb) : 31;
            return special3(rs, rd, msbd, lsb, 0x00);
        }
        case 36: {                                                    // ins (helper)
            uint32_t lsb = pick(32), msb = lsb + pick(32 - lsb);
            return special3(rs, rd, msb, lsb, 0x04);
        }
        case 37: return special3(0, rt, rd, chance(50) ? 0x10 : 0x18, 0x20); // seb, seh
        case 38: return special3(0, rt, rd, 0x02, 0x20);                      // wsbh (helper)
        case 39: return chance(10) ? special(rs, rt, 0, pick(1024) & 0x3F, 0x34) : nop; // teq, rarely
        case 40: return special(0, 0, 0, 0, 0x0F);                             // sync
        default: return special(rs, rt, rd, 0, 0x21);                          // addu
        }
    }

    std::mt19937 m_random;
};

struct Outcome {
    cpu::Exit exit;
};

cpu::Exit run_to_end(engines::Engine& engine, cpu::CpuState& cpu)
{
    return engine.run(cpu, 1'000'000);
}

// Runs program under the interpreter and under the translator, both with its tiers (basic blocks
// first, superblocks when hot) and with superblocks at once, and compares the outcomes.
void compare_programs(const std::vector<uint32_t>& program, uint32_t seed)
{
    for (bool superblocks_at_once : {false, true}) {
        ProgramGenerator registers(seed);
        Guest reference(program), translated(program);
        registers.randomize(reference.cpu);
        translated.cpu = reference.cpu;
        engines::Interpreter interpreter(reference.memory);
        engines::JitEngine jit(translated.memory);
        jit.translate_at_first_execution();
        if (superblocks_at_once)
            jit.translate_superblocks_at_once();
        cpu::Exit expected = run_to_end(interpreter, reference.cpu);
        cpu::Exit actual = run_to_end(jit, translated.cpu);
        SCOPED_TRACE(testing::Message() << "seed " << seed << (superblocks_at_once ? ", superblocks at once" : ""));
        expect_same_exit(expected, actual);
        expect_same_state(reference.cpu, translated.cpu);
        expect_same_data(reference, translated);
    }
}

// Runs reference under the interpreter and translated under jit in slices of next_slice()
// instructions, at most steps of them, until an exit that is not the budget's; the state must
// agree at every slice boundary, which also checks that the JIT honours any budget exactly.
void run_in_slices(Guest& reference, Guest& translated, engines::JitEngine& jit, unsigned steps,
                   const std::function<uint64_t()>& next_slice)
{
    engines::Interpreter interpreter(reference.memory);
    for (unsigned step = 0; step < steps; ++step) {
        uint64_t budget = next_slice();
        cpu::Exit expected = interpreter.run(reference.cpu, budget);
        cpu::Exit actual = jit.run(translated.cpu, budget);
        SCOPED_TRACE(testing::Message() << "slice " << step);
        expect_same_exit(expected, actual);
        expect_same_state(reference.cpu, translated.cpu);
        if (expected.kind != cpu::ExitKind::BudgetExhausted || testing::Test::HasFailure())
            break;
    }
    expect_same_data(reference, translated);
}

} // namespace

TEST(JitDifferential, RandomProgramsMatchTheInterpreter)
{
    for (uint32_t seed = 1; seed <= 300; ++seed) {
        ProgramGenerator generator(seed * 7919);
        compare_programs(generator.generate(40 + seed % 120), seed);
        if (testing::Test::HasFailure())
            break;
    }
}

TEST(JitDifferential, RandomProgramsReachTheirEnd)
{
    // Most random programs must run to the final BREAK, or the comparison above tests little.
    unsigned finished = 0;
    for (uint32_t seed = 1; seed <= 100; ++seed) {
        ProgramGenerator generator(seed * 7919);
        std::vector<uint32_t> program = generator.generate(40 + seed % 120);
        Guest guest(program);
        generator.randomize(guest.cpu);
        engines::JitEngine jit(guest.memory);
        jit.translate_at_first_execution();
        cpu::Exit exit = jit.run(guest.cpu, 1'000'000);
        if (exit.kind == cpu::ExitKind::Breakpoint && exit.code == 7)
            ++finished;
    }
    EXPECT_GT(finished, 25u);
}

// Lockstep: both engines run in slices of a few instructions; the state must agree at every
// slice boundary, which also checks that the JIT honours any budget exactly.
TEST(JitDifferential, LockstepWithSmallBudgets)
{
    for (uint32_t seed = 1; seed <= 60; ++seed) {
        ProgramGenerator generator(seed * 104729);
        std::vector<uint32_t> program = generator.generate(80);
        Guest reference(program), translated(program);
        generator.randomize(reference.cpu);
        translated.cpu = reference.cpu;
        engines::JitEngine jit(translated.memory);
        jit.translate_at_first_execution();
        std::mt19937 slices(seed);
        SCOPED_TRACE(testing::Message() << "seed " << seed);
        run_in_slices(reference, translated, jit, 1000, [&] { return 1 + slices() % 23; });
        if (testing::Test::HasFailure())
            break;
    }
}

// A loop: backward branches, chaining, and a register jump returning from a called function.
TEST(JitDifferential, LoopWithCallsAndReturns)
{
    std::vector<uint32_t> program = {
        addiu(2, 0, 0),                    // 0x00: $2 = 0 (sum)
        addiu(3, 0, 500),                  // 0x04: $3 = 500 (count)
        jump(3, code_address + 0x30),      // 0x08: loop: jal add_one
        addu(4, 2, 3),                     // 0x0C: (delay slot)
        addiu(3, 3, -1),                   // 0x10
        bne(3, 0, -4),                     // 0x14: bne $3, $0, loop
        sw(2, 0, 28),                      // 0x18: (delay slot)
        break_(7),                         // 0x1C
        nop, nop, nop, nop,                // 0x20..0x2C
        addu(2, 2, 4),                     // 0x30: add_one: $2 += $4
        jr(31),                            // 0x34
        addiu(2, 2, 1),                    // 0x38: (delay slot)
    };
    compare_programs(program, 1);
    Guest guest(program);
    engines::JitEngine jit(guest.memory);
    jit.translate_at_first_execution();
    jit.enable_profile(); // register jumps count their cache hits only when profiling
    cpu::Exit exit = jit.run(guest.cpu, 1'000'000);
    EXPECT_EQ(exit.kind, cpu::ExitKind::Breakpoint);
    jit::JitStatistics statistics = jit.statistics();
    EXPECT_GT(statistics.chained_exits, 0u);
    EXPECT_GT(statistics.indirect_inline_hits, 400u); // the return always goes to the same place
    EXPECT_LE(statistics.blocks_translated, 8u);
}

// A self-loop keeps the registers it writes in host registers across its back edge; they reach
// the CpuState whenever the loop stops: at its exit, when the budget runs out at the back edge
// (every slice below is too short for another round at some point), and through the back edge's
// exit while it is not chained yet. The loop: $2 += 3, $5 = $5 * 2 + $2, $6 counts down.
TEST(JitDifferential, SelfLoopsStoreTheRegistersTheyKeepWheneverTheyStop)
{
    std::vector<uint32_t> program = {
        addiu(6, 0, 300),          // 0x00
        addiu(2, 2, 3),            // 0x04: loop
        addu(5, 5, 5),             // 0x08
        addu(5, 5, 2),             // 0x0C
        addiu(6, 6, -1),           // 0x10
        bne(6, 0, -5),             // 0x14: to 0x04
        sw(5, 0, 28),              // 0x18: (delay slot)
        break_(7),                 // 0x1C
    };
    for (bool superblocks_at_once : {false, true}) {
        for (uint64_t slice : {1u, 4u, 6u, 11u, 1000u}) {
            Guest reference(program), translated(program);
            engines::JitEngine jit(translated.memory);
            jit.translate_at_first_execution();
            if (superblocks_at_once)
                jit.translate_superblocks_at_once();
            SCOPED_TRACE(testing::Message() << "slices of " << slice);
            run_in_slices(reference, translated, jit, 4000, [&] { return slice; });
            EXPECT_EQ(translated.cpu.gpr[2], 900u);
        }
    }
}

// Faults inside translated code leave the state exactly as the interpreter leaves it.
TEST(JitDifferential, FaultsArePrecise)
{
    const std::vector<std::vector<uint32_t>> programs = {
        // A load from an unmapped page in the middle of a block.
        {addiu(2, 0, 1), lui(5, 0x2000), addiu(3, 0, 2), lw(4, 8, 5), addiu(6, 0, 3), break_()},
        // A load from an unmapped page in the delay slot of a taken branch.
        {addiu(2, 0, 1), lui(5, 0x2000), beq(0, 0, 4), lw(4, 0, 5), addiu(6, 0, 3), break_()},
        // A store to an unmapped page in the delay slot of a branch not taken.
        {addiu(2, 0, 1), lui(5, 0x2000), bne(0, 0, 4), sw(2, 0, 5), addiu(6, 0, 3), break_()},
        // A misaligned load and a misaligned store.
        {addiu(2, 0, 1), lw(4, 2, 28), break_()},
        {addiu(2, 0, 1), addiu(3, 0, 5), sw(3, 1, 28), break_()},
        // A store to the read-only code page.
        {addiu(2, 0, 1), lui(5, code_address >> 16), sw(2, 0, 5), break_()},
        // An integer overflow (ADD) in a delay slot, raised by the helper.
        {lui(2, 0x7FFF), ori(2, 2, 0xFFFF), beq(0, 0, 4), special(2, 2, 3, 0, 0x20), nop, break_()},
        // A reserved instruction, a branch in a delay slot, a trap.
        {addiu(2, 0, 1), 0xFC000000u, break_()},
        {addiu(2, 0, 1), beq(0, 0, 4), beq(0, 0, 4), nop, nop, break_()},
        {addiu(2, 0, 1), special(2, 2, 0, 9, 0x34), break_()},
        // A register jump to an unmapped address, and to a misaligned one.
        {lui(5, 0x3000), jr(5), addiu(2, 0, 1), break_()},
        {addiu(5, 0, 2), jalr(31, 5), addiu(2, 0, 1), break_()},
        // Faults in the delay slots of the other kinds of branch: linking, likely, register jumps,
        // a link that overwrites the jump register, and a branch whose slot loads its operand.
        {lui(5, 0x2000), addiu(2, 0, 1), regimm(2, 0x11, 4), lw(4, 0, 5), break_()},
        {lui(5, 0x2000), addiu(2, 0, 1), immediate(0x14, 2, 2, 4), lw(4, 0, 5), break_()},
        {lui(5, 0x2000), lui(6, code_address >> 16), ori(6, 6, 0x20), jr(6), sw(2, 0, 5), break_(), nop, nop, break_(3)},
        {lui(5, 0x2000), lui(6, code_address >> 16), ori(6, 6, 0x20), jalr(6, 6), lw(4, 1, 28), break_(), nop, nop, break_(3)},
        {addiu(4, 0, 0), beq(4, 0, 4), lw(4, 2, 28), break_(), nop, break_(3)},
        {lui(31, 0x2000), regimm(31, 0x11, 4), lw(4, 0, 31), break_()},
        // Coprocessor 1 loads and stores: round trips through the FPU registers, a misaligned
        // doubleword, an unmapped one in a delay slot, and the FR = 1 layout (set below).
        {immediate(0x35, 28, 4, 8), immediate(0x3D, 28, 4, 64), immediate(0x31, 28, 7, 12),
         immediate(0x39, 28, 7, 68), immediate(0x35, 28, 5, 16), immediate(0x3D, 28, 5, 72), lw(2, 64, 28),
         lw(3, 68, 28), lw(6, 72, 28), break_()},
        {immediate(0x35, 28, 4, 4), break_()},
        {lui(5, 0x2000), beq(0, 0, 4), immediate(0x3D, 5, 4, 0), nop, nop, break_()},
        // A system call in the middle of a block.
        {addiu(2, 0, 4001), 0x0000000Cu, addiu(3, 0, 1), break_()},
    };
    uint32_t number = 0;
    for (const auto& program : programs) {
        SCOPED_TRACE(testing::Message() << "program " << number++);
        compare_programs(program, number);
    }
}

// Faults in a block that followed a jump (b, j) leave the state exactly as the interpreter
// leaves it too: in the jump's delay slot, after it with registers still only in host
// registers, misaligned there, and around a loop closed by b.
TEST(JitDifferential, FaultsInBlocksThatFollowJumpsArePrecise)
{
    const uint32_t j_to_0x20 = jump(2, code_address + 0x20);
    const std::vector<std::vector<uint32_t>> programs = {
        // After the join: $2, $3 and $6 are written in host registers when the load faults.
        {addiu(2, 0, 1), beq(0, 0, 3), addiu(3, 0, 2), break_(1), break_(2), addiu(6, 2, 5), lui(5, 0x2000),
         lw(4, 0, 5), break_()},
        // In the delay slot of the b the block follows.
        {addiu(2, 0, 1), lui(5, 0x2000), beq(0, 0, 3), lw(4, 0, 5), break_(1), break_(2), addiu(6, 0, 3),
         break_()},
        // Misaligned after a j, a load and a store.
        {addiu(2, 0, 9), j_to_0x20, addiu(3, 2, 1), break_(1), break_(2), break_(3), break_(4), break_(5),
         addiu(4, 3, 1), lw(6, 2, 28), break_()},
        {addiu(2, 0, 9), j_to_0x20, addiu(3, 2, 1), break_(1), break_(2), break_(3), break_(4), break_(5),
         addiu(4, 3, 1), sw(4, 1, 28), break_()},
        // A loop closed by b that stores 40 words, then a load from an unmapped page.
        {addiu(3, 0, 40), lui(5, 0x1000), addiu(2, 2, 1), sw(2, 0, 5), addiu(3, 3, -1), beq(3, 0, 3), nop,
         beq(0, 0, -6), addiu(5, 5, 4), lui(5, 0x2000), lw(4, 0, 5), break_()},
    };
    uint32_t number = 0;
    for (const auto& program : programs) {
        SCOPED_TRACE(testing::Message() << "program " << number++);
        compare_programs(program, number);
    }
}

// Runs reference's program under the interpreter and translated's (the same program and state)
// under the translator, every block translated at its first execution; compares exits and states
// and returns the interpreter's exit.
cpu::Exit expect_same_run(Guest& reference, Guest& translated, uint64_t budget)
{
    engines::Interpreter interpreter(reference.memory);
    engines::JitEngine jit(translated.memory);
    jit.translate_at_first_execution();
    cpu::Exit expected = interpreter.run(reference.cpu, budget);
    expect_same_exit(expected, jit.run(translated.cpu, budget));
    expect_same_state(reference.cpu, translated.cpu);
    return expected;
}

// Coprocessor 1 accesses with FR = 1 (64-bit registers) and with the FPU disabled take the
// helper's path; the results must still be the interpreter's.
TEST(JitDifferential, Coprocessor1AccessesInEveryMode)
{
    std::vector<uint32_t> program = {immediate(0x35, 28, 4, 8), immediate(0x35, 28, 5, 16), immediate(0x3D, 28, 5, 64),
                                     immediate(0x39, 28, 4, 72), lw(2, 64, 28), lw(3, 68, 28), lw(6, 72, 28), break_()};
    for (int mode = 0; mode < 3; ++mode) {
        SCOPED_TRACE(testing::Message() << "mode " << mode);
        Guest reference(program), translated(program);
        reference.cpu.fpu.fr = mode == 1;
        reference.cpu.fpu.enabled = mode != 2;
        translated.cpu = reference.cpu;
        expect_same_run(reference, translated, 1000);
        expect_same_data(reference, translated);
    }
}

// Coprocessor 1 loads and stores record fault sites as integer ones do: a fault on an unmapped
// page, a misaligned address and an unusable coprocessor 1, after the block wrote registers and in
// a delay slot, leave the interpreter's state, in both register layouts.
TEST(JitDifferential, Coprocessor1AccessesFaultPrecisely)
{
    auto cop1 = [](uint32_t opcode, unsigned ft, int32_t offset, unsigned base) { return immediate(opcode, base, ft, offset); };
    constexpr uint32_t lwc1 = 0x31, ldc1 = 0x35, swc1 = 0x39, sdc1 = 0x3D;
    // Each program first adds one to a word in memory: a block run again from its start after the
    // fault would add it twice.
    const std::vector<uint32_t> count = {lw(7, 0, 28), addiu(7, 7, 1), sw(7, 0, 28)};
    const std::vector<std::vector<uint32_t>> accesses = {
        {addiu(2, 2, 1), lui(5, 0x2000), addiu(3, 2, 4), cop1(ldc1, 4, 0, 5), break_()},      // unmapped
        {addiu(2, 2, 1), lui(5, 0x2000), addiu(3, 2, 4), cop1(sdc1, 4, 8, 5), break_()},
        {addiu(2, 2, 1), lui(5, 0x2000), cop1(lwc1, 4, 0, 5), break_()},
        {addiu(2, 2, 1), lui(5, 0x2000), cop1(swc1, 4, 4, 5), break_()},
        {addiu(2, 2, 3), addiu(6, 28, 4), cop1(ldc1, 2, 0, 6), break_()},                      // misaligned
        {addiu(2, 2, 3), addiu(6, 28, 2), cop1(swc1, 2, 0, 6), break_()},
        {addiu(2, 2, 3), lui(5, 0x2000), beq(2, 2, 2), cop1(ldc1, 6, 16, 5), break_(1), break_()}, // delay slot
        {addiu(2, 2, 3), addiu(6, 28, 8), cop1(ldc1, 6, 0, 6), cop1(sdc1, 6, 16, 6), addiu(7, 2, 1), break_()},
    };
    std::vector<std::vector<uint32_t>> programs;
    for (const auto& access : accesses) {
        programs.push_back(count);
        programs.back().insert(programs.back().end(), access.begin(), access.end());
    }
    for (int mode = 0; mode < 3; ++mode) {
        for (size_t index = 0; index < programs.size(); ++index) {
            SCOPED_TRACE(testing::Message() << "mode " << mode << ", program " << index);
            Guest reference(programs[index]), translated(programs[index]);
            reference.cpu.fpu.fr = mode == 1;
            reference.cpu.fpu.enabled = mode != 2;
            reference.cpu.fpu.fpr[4] = 0x0123456789ABCDEFu;
            reference.cpu.fpu.fpr[5] = 0x1122334455667788u;
            translated.cpu = reference.cpu;
            expect_same_run(reference, translated, 1000);
            expect_same_data(reference, translated);
        }
    }
}

// A COP1 arithmetic word: format 0x10 (S) or 0x11 (D), function 0 add, 1 sub, 2 mul, 3 div.
constexpr uint32_t arithmetic(unsigned format, unsigned fd, unsigned fs, unsigned ft, unsigned function)
{
    return (0x11u << 26) | (format << 21) | (ft << 16) | (fs << 11) | (fd << 6) | function;
}

// A block is translated for the FPU's common mode (usable, FR = 1, FCSR rounding to nearest with
// no flush and no Inexact trap), which its entry tests. Found in any other mode, it leaves unrun
// and is translated again to test the mode at each instruction: the results are the
// interpreter's in every mode, before and after, and only that block is translated again.
std::vector<uint32_t> fpu_mode_program()
{
    constexpr uint32_t ldc1 = 0x35, sdc1 = 0x3D, swc1 = 0x39;
    return {immediate(ldc1, 28, 4, 0), immediate(ldc1, 28, 2, 8), arithmetic(0x11, 0, 4, 2, 0), // add.d $f0, $f4, $f2
            arithmetic(0x10, 6, 4, 2, 2),                                                      // mul.s $f6, $f4, $f2
            immediate(sdc1, 28, 0, 16), immediate(swc1, 28, 6, 24),
            (0x11u << 26) | (0x02u << 21) | (2u << 16) | (31u << 11), // cfc1 $2, $31
            sw(2, 32, 28), break_()};
}

TEST(JitDifferential, BlocksForTheCommonFpuModeRunInEveryOther)
{
    struct Mode {
        const char* name;
        bool fr = true;
        bool enabled = true;
        uint32_t fcsr = 0;
    };
    const Mode modes[] = {{"FR = 0", false}, {"coprocessor 1 unusable", true, false},
                          {"rounding toward zero", true, true, 1}, {"flush to zero", true, true, 1u << 24},
                          {"Inexact trap", true, true, 1u << 7}};
    for (const Mode& mode : modes) {
        SCOPED_TRACE(mode.name);
        Guest reference(fpu_mode_program()), translated(fpu_mode_program());
        reference.cpu.fpu.fr = true;
        translated.cpu = reference.cpu;
        engines::Interpreter interpreter(reference.memory);
        engines::JitEngine jit(translated.memory);
        jit.translate_at_first_execution();
        auto run_both = [&] {
            expect_same_exit(interpreter.run(reference.cpu, 1000), jit.run(translated.cpu, 1000));
            expect_same_state(reference.cpu, translated.cpu);
            expect_same_data(reference, translated);
        };
        run_both(); // the common mode: the block's entry test passes
        EXPECT_EQ(jit.statistics().fpu_mode_blocks, 0u);
        for (Guest* guest : {&reference, &translated}) {
            guest->cpu.jump_to(code_address);
            guest->cpu.fpu.fr = mode.fr;
            guest->cpu.fpu.enabled = mode.enabled;
            guest->cpu.fpu.fcsr = mode.fcsr;
        }
        run_both();
        EXPECT_EQ(jit.statistics().fpu_mode_blocks, 1u);
        for (Guest* guest : {&reference, &translated}) {
            guest->cpu.jump_to(code_address);
            guest->cpu.fpu = reference.cpu.fpu;
            guest->cpu.fpu.fr = true;
            guest->cpu.fpu.enabled = true;
            guest->cpu.fpu.fcsr = 0;
        }
        run_both(); // the translation that tests the mode, in the common one
        EXPECT_EQ(jit.statistics().fpu_mode_blocks, 1u);
    }
}

// Division, multiply-accumulate, bit insertion and register traps are native; they are checked
// here on the operands where a host division would fault or differ (a zero divisor, INT_MIN / -1),
// on carries and borrows between LO and HI, on fields at both ends of the word, and with a trap
// taken after the block changed registers.
TEST(JitDifferential, DivisionAccumulationInsertionAndTrapsOnTheirEdges)
{
    auto divide = [](uint32_t rs, uint32_t rt, bool is_unsigned) { return special(rs, rt, 0, 0, is_unsigned ? 0x1B : 0x1A); };
    const uint32_t values[] = {0, 1, 0xFFFFFFFFu, 0x80000000u, 0x7FFFFFFFu, 7, 0xFFFFFFF9u, 0x12345678u};
    std::vector<uint32_t> program;
    // $16.. accumulate what each step leaves in HI and LO.
    auto collect = [&](unsigned into) {
        program.push_back(special(0, 0, into, 0, 0x10));     // mfhi
        program.push_back(special(0, 0, into + 1, 0, 0x12)); // mflo
    };
    for (unsigned a = 2; a < 10; ++a) {
        for (unsigned b = 2; b < 10; ++b) {
            program.push_back(divide(a, b, false));
            collect(16);
            program.push_back(addu(20, 20, 16));
            program.push_back(addu(21, 21, 17));
            program.push_back(divide(a, b, true));
            collect(16);
            program.push_back(addu(22, 22, 16));
            program.push_back(addu(23, 23, 17));
            for (uint32_t function : {0x00u, 0x01u, 0x04u, 0x05u}) { // madd, maddu, msub, msubu
                program.push_back(special2(a, b, 0, 0, function));
                collect(16);
                program.push_back(addu(24, 24, 16));
                program.push_back(addu(25, 25, 17));
            }
        }
        for (auto [msb, lsb] : {std::pair{31u, 0u}, {0u, 0u}, {31u, 31u}, {15u, 4u}, {30u, 1u}})
            program.push_back(special3(a, 26 + (a & 1), msb, lsb, 0x04)); // ins
    }
    program.push_back(addiu(30, 0, 5));
    program.push_back(special(30, 5, 0, 0, 0x36));         // tne $30, $5 (7): no trap
    program.push_back(special(30, 6, 0, 0, 0x34));         // teq $30, $6: no trap (0x7FFFFFFF)
    program.push_back(addiu(6, 0, 5));
    program.push_back(special(30, 6, 0, 0x2A, 0x34));      // teq $30, $6, 0xA8: traps
    program.push_back(break_());
    Guest reference(program), translated(program);
    for (unsigned number = 2; number < 10; ++number)
        reference.cpu.gpr[number] = values[number - 2];
    reference.cpu.gpr[26] = 0x5A5A5A5Au;
    reference.cpu.gpr[27] = 0xC3C3C3C3u;
    translated.cpu = reference.cpu;
    EXPECT_EQ(expect_same_run(reference, translated, 1'000'000).kind, cpu::ExitKind::Trap);
}

// A native floating-point operation never reads MXCSR: it relies on MXCSR rounding to nearest
// between instructions. A helper between two of them (trunc.w.d rounds toward zero on the host)
// must leave it so: 2.0 / 3.0 rounds up to nearest, down toward zero.
TEST(JitDifferential, FloatingPointAfterAHelperRoundsTheGuestsWay)
{
    auto cop1_double = [](unsigned fd, unsigned fs, unsigned ft, unsigned function) {
        return (0x11u << 26) | (0x11u << 21) | (ft << 16) | (fs << 11) | (fd << 6) | function;
    };
    std::vector<uint32_t> program = {
        cop1_double(0, 2, 4, 0x03), // div.d $f0, $f2, $f4
        cop1_double(8, 6, 0, 0x0D), // trunc.w.d $f8, $f6: a helper, rounding toward zero
        cop1_double(10, 2, 4, 0x03), // div.d $f10, $f2, $f4
        break_(),
    };
    Guest reference(program), translated(program);
    reference.cpu.fpu.fr = true;
    reference.cpu.fpu.fpr[2] = std::bit_cast<uint64_t>(2.0);
    reference.cpu.fpu.fpr[4] = std::bit_cast<uint64_t>(3.0);
    reference.cpu.fpu.fpr[6] = std::bit_cast<uint64_t>(7.5);
    translated.cpu = reference.cpu;
    expect_same_run(reference, translated, 1000);
    EXPECT_EQ(translated.cpu.fpu.fpr[10], std::bit_cast<uint64_t>(2.0 / 3.0));
    EXPECT_EQ(translated.cpu.fpu.fpr[8] & 0xFFFFFFFF, 7u);
}

// The native add, sub, mul and div (S and D) decide Inexact by computing the rounding error
// instead of reading MXCSR, and leave to the helper every result that may raise anything else.
// Every pair of a set of edge values (zeros, tiny and huge magnitudes, subnormals, infinities,
// NaNs, exact and inexact ones) goes through each operation; FCSR (Cause and the sticky Flags,
// cleared before every other case if clears_fcsr) and the result are stored after each, and must
// be the interpreter's. (A block with a CTC1 tests FCSR's modes at each operation, one without
// at its entry.)
constexpr unsigned arithmetic_values = 15; // doubles in $f0..$f14, singles in $f16..$f30

void expect_same_arithmetic(const std::array<double, arithmetic_values>& doubles,
                            const std::array<float, arithmetic_values>& singles, bool clears_fcsr,
                            unsigned* inexact_cases = nullptr)
{
    constexpr unsigned count = arithmetic_values;
    const uint32_t read_fcsr = (0x11u << 26) | (0x02u << 21) | (2u << 16) | (31u << 11);   // cfc1 $2, $31
    const uint32_t clear_fcsr = (0x11u << 26) | (0x06u << 21) | (0u << 16) | (31u << 11);  // ctc1 $0, $31
    std::vector<uint32_t> program = {lui(8, data_address >> 16)};
    unsigned cases = 0;
    for (unsigned format : {0x11u, 0x10u}) {
        unsigned first = format == 0x11 ? 0 : 16;
        for (unsigned function = 0; function < 4; ++function) {
            for (unsigned left = 0; left < count; ++left) {
                for (unsigned right = 0; right < count; ++right) {
                    if (++cases % 2 == 0 && clears_fcsr)
                        program.push_back(clear_fcsr);
                    program.push_back(arithmetic(format, first + count, first + left, first + right, function));
                    program.push_back(read_fcsr);
                    program.push_back(sw(2, 0, 8));
                    program.push_back(immediate(0x3D, 8, first + count, 8)); // sdc1
                    program.push_back(addiu(8, 8, 16));
                }
            }
        }
    }
    program.push_back(break_());
    ASSERT_LE(program.size() * 4, code_size);
    ASSERT_LE(cases * 16, data_size);
    Guest reference(program), translated(program);
    reference.cpu.fpu.fr = true;
    reference.cpu.fpu.enabled = true;
    for (unsigned index = 0; index < count; ++index) {
        reference.cpu.fpu.fpr[index] = std::bit_cast<uint64_t>(doubles[index]);
        reference.cpu.fpu.fpr[16 + index] = std::bit_cast<uint32_t>(singles[index]);
    }
    translated.cpu = reference.cpu;
    expect_same_run(reference, translated, 1'000'000);
    for (uint32_t offset = 0; offset < cases * 16; offset += 4)
        ASSERT_EQ(reference.memory.read<uint32_t>(data_address + offset), translated.memory.read<uint32_t>(data_address + offset))
            << "case " << offset / 16 << (offset % 16 == 0 ? ": FCSR" : ": result");
    if (inexact_cases) {
        *inexact_cases = 0;
        for (unsigned index = 0; index < cases; ++index)
            *inexact_cases += (reference.memory.read<uint32_t>(data_address + 16 * index) >> 12) & 1;
    }
}

TEST(JitDifferential, FloatingPointArithmeticOnItsEdges)
{
    unsigned inexact = 0;
    const std::array<double, arithmetic_values> doubles = {
        0.0, -0.0, 1.0, -3.0, 0.1, 1.0 / 3.0, 1e308, -1e308, 0x1p-1022, 0x1p-1074, 1e-280, 0x1p-900,
        std::numeric_limits<double>::infinity(), std::bit_cast<double>(uint64_t{0x7FF0000000000001}), 0x1p53 + 1.0};
    const std::array<float, arithmetic_values> singles = {
        0.0f, -0.0f, 1.0f, -3.0f, 0.1f, 1.0f / 3.0f, 3e38f, -3e38f, 0x1p-126f, 0x1p-149f, 1e-30f, 0x1p-90f,
        std::numeric_limits<float>::infinity(), std::bit_cast<float>(uint32_t{0x7F800001}), 0x1p24f + 2.0f};
    expect_same_arithmetic(doubles, singles, true, &inexact);
    expect_same_arithmetic(doubles, singles, false);
    // The cases cover both outcomes: some results inexact, some exact, some from the helper.
    EXPECT_GT(inexact, 50u);
    EXPECT_LT(inexact, 8 * arithmetic_values * arithmetic_values - 50);
}

// Random operands whose magnitudes lie close together (so that many sums, differences and
// products are exact and many are not), and subnormals among them.
TEST(JitDifferential, FloatingPointArithmeticOnRandomOperands)
{
    std::mt19937 random(20261205);
    for (int round = 0; round < 8; ++round) {
        SCOPED_TRACE(testing::Message() << "round " << round);
        std::array<double, arithmetic_values> doubles;
        std::array<float, arithmetic_values> singles;
        int scale = round == 7 ? -1060 : static_cast<int>(random() % 40) - 20;
        for (unsigned index = 0; index < arithmetic_values; ++index) {
            // Few significant bits now and then: their sums and products are often exact.
            int bits = (random() % 2) ? 53 : static_cast<int>(random() % 12) + 1;
            double mantissa = std::ldexp(static_cast<double>(random() % (1u << std::min(bits, 31))), -std::min(bits, 31));
            if (bits == 53)
                mantissa = std::uniform_real_distribution<double>(0.5, 1.0)(random);
            int exponent = scale + static_cast<int>(random() % 8);
            double value = std::ldexp(mantissa, exponent) * ((random() % 2) ? -1 : 1);
            doubles[index] = value;
            singles[index] = static_cast<float>(std::ldexp(mantissa, exponent % 120) * ((random() % 2) ? -1 : 1));
        }
        expect_same_arithmetic(doubles, singles, round % 2 == 0);
    }
}

} // namespace isomorph::jit_test
