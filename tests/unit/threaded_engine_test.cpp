// The threaded interpreter against the reference interpreter, in lockstep: each program runs
// under both engines with the same instruction budget per call, and after every exit the exits,
// the CpuStates (pc, next_pc, delay_slot, registers, instructions retired) and the data memory must
// be identical. Budgets from 1 upwards make the engines stop at every kind of point: inside runs
// of decoded code, in delay slots, at page ends.

#include "threaded_test_program.h"

#include "engines/threaded/threaded_engine.h"

#include <cstring>
#include <functional>
#include <gtest/gtest.h>
#include <string>

namespace isomorph::test {

namespace {

using namespace mips;

// Register numbers.
constexpr unsigned zero = 0, at = 1, v0 = 2, v1 = 3, a0 = 4, a1 = 5, t0 = 8, t1 = 9, t2 = 10, t3 = 11, s0 = 16, s1 = 17,
                   sp = 29, ra = 31;

struct Program {
    std::string name;
    std::vector<uint32_t> code;
    uint32_t load_address = code_address;
    uint32_t entry = code_address;
};

void exit_program(std::vector<uint32_t>& code)
{
    code.push_back(addiu(v0, zero, exit_syscall));
    code.push_back(syscall());
}

// Sums 1..2000 with the loop counter updated in the delay slot.
Program counting_loop()
{
    Program p{"counting_loop", {}};
    auto& c = p.code;
    c.push_back(addiu(t0, zero, 2000));
    c.push_back(addiu(t1, zero, 0));
    c.push_back(addu(t1, t1, t0));  // loop:
    c.push_back(bne(t0, zero, -2)); //   back to loop while t0 != 0 (tested before the decrement)
    c.push_back(addiu(t0, t0, -1)); //   delay slot
    exit_program(c);
    return p;
}

// Calls through JAL, JALR and returns through JR, with work in every delay slot.
Program calls()
{
    Program p{"calls", {}};
    auto& c = p.code;
    uint32_t function = code_address + 0x100;
    c.push_back(addiu(s0, zero, 300));
    c.push_back(jal(function));        // loop:
    c.push_back(addiu(a0, s0, 0));     //   delay slot: the argument
    c.push_back(addu(s1, s1, v0));
    load_constant(c, t3, function);
    c.push_back(jalr(ra, t3));
    c.push_back(addiu(a0, s0, 7));
    c.push_back(addu(s1, s1, v0));
    c.push_back(addiu(s0, s0, -1));
    c.push_back(bgtz(s0, -10));        //   back to loop
    c.push_back(nop());
    exit_program(c);
    c.resize(0x100 / 4, nop());
    c.push_back(sll(v0, a0, 2));       // function: v0 = 4 * a0 + 1
    c.push_back(jr(ra));
    c.push_back(addiu(v0, v0, 1));
    return p;
}

// Branch-likely taken and not taken, and the link forms, whose delay slots have visible effects.
Program likely_and_link()
{
    Program p{"likely_and_link", {}};
    auto& c = p.code;
    c.push_back(addiu(t0, zero, 3));
    c.push_back(addiu(t2, t2, 1));      // loop:
    c.push_back(addiu(t0, t0, -1));
    c.push_back(bnel(t0, zero, -3));    //   taken twice, then nullified
    c.push_back(addiu(t1, t1, 100));    //   runs only when taken
    c.push_back(beql(t0, t0, 2));       // always taken
    c.push_back(addiu(t1, t1, 1));
    c.push_back(addiu(t1, t1, 1000));   // skipped
    c.push_back(bltzal(t0, 2));         // not taken, links anyway
    c.push_back(addiu(t2, t2, 10));
    c.push_back(addiu(t3, ra, 0));
    c.push_back(bgezal(t0, 2));         // taken, links
    c.push_back(addiu(t2, t2, 10));
    c.push_back(addiu(t1, t1, 5000));   // skipped
    c.push_back(bltz(t0, 2));           // not taken
    c.push_back(addiu(t2, t2, 20));
    c.push_back(blez(t0, 2));           // taken
    c.push_back(bgez(t0, 1));           // in the delay slot: a branch in a delay slot
    c.push_back(addiu(t2, t2, 40));
    exit_program(c);
    return p;
}

// System calls in the middle of loops, and RDHWR reading the instruction counter.
Program system_calls_and_counter()
{
    Program p{"system_calls_and_counter", {}};
    auto& c = p.code;
    c.push_back(addiu(s0, zero, 5));
    c.push_back(addiu(v0, zero, 4020)); // loop: getpid, say
    c.push_back(syscall());
    c.push_back(rdhwr(t0, 2));
    c.push_back(addu(s1, s1, t0));
    c.push_back(addiu(s0, s0, -1));
    c.push_back(bne(s0, zero, -6));
    c.push_back(rdhwr(t1, 2));          // delay slot
    exit_program(c);
    return p;
}

// Straight-line code and a loop across a page boundary, a branch in the last word of a page, and
// a not-taken branch whose delay slot is the page's last word.
Program page_crossing()
{
    Program p{"page_crossing", {}};
    p.load_address = code_address + 0x1000 - 40;
    p.entry = p.load_address;
    auto& c = p.code;
    c.push_back(addiu(t0, zero, 4));    // 0x...fd8
    c.push_back(addiu(t1, t1, 1));      // loop: 0x...fdc
    c.push_back(addiu(t1, t1, 2));
    c.push_back(addiu(t1, t1, 3));
    c.push_back(addiu(t1, t1, 4));
    c.push_back(addiu(t1, t1, 5));
    c.push_back(beq(t0, zero, 10));     // 0x...ff0: never taken
    c.push_back(addiu(t2, t2, 1));      // 0x...ff4
    c.push_back(addiu(t0, t0, -1));     // 0x...ff8
    c.push_back(bne(t0, zero, -9));     // 0x...ffc: the page's last word; delay slot in the next page
    c.push_back(addiu(t3, t3, 1));      // 0x..1000
    c.push_back(addiu(t2, t2, 100));
    exit_program(c);
    return p;
}

// Guest exceptions at every kind of place; each program ends with its first one.
std::vector<Program> faulting_programs()
{
    std::vector<Program> programs;
    auto make = [&](std::string name, std::function<void(std::vector<uint32_t>&)> body) {
        Program p{std::move(name), {}};
        // Some work first, so that the exception happens inside a run of decoded code.
        p.code.push_back(addiu(t0, zero, 3));
        p.code.push_back(addiu(t0, t0, -1));
        p.code.push_back(bne(t0, zero, -2));
        p.code.push_back(addiu(t1, t1, 1));
        body(p.code);
        exit_program(p.code);
        programs.push_back(std::move(p));
    };
    make("overflow", [](auto& c) {
        load_constant(c, t2, 0x7FFFFFFF);
        c.push_back(add(t3, t2, t2));
    });
    make("trap", [](auto& c) { c.push_back(teq(t0, zero)); });
    make("break", [](auto& c) { c.push_back(break_(7)); });
    make("reserved", [](auto& c) { c.push_back(0xFC000000); });
    make("misaligned_load", [](auto& c) {
        load_constant(c, t2, data_address + 2);
        c.push_back(lw(t3, 0, t2));
    });
    make("unmapped_load", [](auto& c) {
        load_constant(c, t2, 0x00300000);
        c.push_back(lw(t3, 4, t2));
    });
    make("load_into_zero_still_faults", [](auto& c) {
        load_constant(c, t2, 0x00300000);
        c.push_back(lb(zero, 112, t2));
    });
    make("fault_in_second_of_a_pair", [](auto& c) {
        load_constant(c, t2, 0x00300000);
        c.push_back(addu(t3, t2, t1)); // ADDU LW
        c.push_back(lw(t3, 0, t3));
    });
    make("store_to_read_only", [](auto& c) {
        load_constant(c, t2, 0x00400000); // the read-only page mapped by the test
        c.push_back(sw(t3, 8, t2));
    });
    make("fault_in_taken_delay_slot", [](auto& c) {
        load_constant(c, t2, 0x00300000);
        c.push_back(beq(zero, zero, 4));
        c.push_back(lw(t3, 0, t2));
    });
    make("fault_in_untaken_delay_slot", [](auto& c) {
        load_constant(c, t2, 0x00300000);
        c.push_back(bne(zero, zero, 4));
        c.push_back(sw(t3, 0, t2));
    });
    make("syscall_in_delay_slot", [](auto& c) {
        c.push_back(addiu(v0, zero, exit_syscall));
        c.push_back(beq(zero, zero, 4));
        c.push_back(syscall());
    });
    make("jump_to_misaligned", [](auto& c) {
        load_constant(c, t2, code_address + 0x202);
        c.push_back(jr(t2));
        c.push_back(addiu(t3, t3, 1));
    });
    make("jump_to_unmapped", [](auto& c) {
        load_constant(c, t2, 0x00300000);
        c.push_back(jalr(ra, t2));
        c.push_back(addiu(t3, t3, 1));
    });
    make("jump_to_data", [](auto& c) {
        load_constant(c, t2, data_address + 16);
        c.push_back(jr(t2));
        c.push_back(nop());
    });
    make("fall_off_the_code", [](auto& c) {
        load_constant(c, t2, code_address + code_size - 8);
        c.push_back(jr(t2));
        c.push_back(nop());
    });
    return programs;
}

// Code that rewrites itself: the next instruction, an instruction of the running loop, and the
// branch target from within a delay slot.
Program self_modifying()
{
    Program p{"self_modifying", {}};
    auto& c = p.code;
    // t2 = address of "patched" below; t3 = the word to write there.
    c.push_back(addiu(s0, zero, 3));
    load_constant(c, t2, 0); // patched later: two words
    load_constant(c, t3, addiu(s1, s1, 1000));
    size_t loop = c.size();
    c.push_back(sw(t3, 0, t2));          // loop: rewrite "patched"
    size_t patched = c.size();
    c.push_back(addiu(s1, s1, 1));       // patched: replaced by the store above
    c.push_back(addiu(t3, t3, 1));       // the next rewrite adds one more
    c.push_back(addiu(s0, s0, -1));
    c.push_back(bne(s0, zero, static_cast<int32_t>(loop) - static_cast<int32_t>(c.size()) - 1));
    c.push_back(nop());
    // Rewrite the branch target from the delay slot of the branch that goes there.
    load_constant(c, t3, addiu(s1, s1, 7));
    size_t branch = c.size();
    c.push_back(beq(zero, zero, 2));
    c.push_back(sw(t3, static_cast<int32_t>(4 * (branch + 3)) - static_cast<int32_t>(4 * patched), t2));
    c.push_back(addiu(s1, s1, 50000)); // skipped
    c.push_back(addiu(s1, s1, 3));     // target: becomes addiu s1, s1, 7
    exit_program(c);
    uint32_t patched_address = code_address + static_cast<uint32_t>(4 * patched);
    c[1] = lui(t2, patched_address >> 16);
    c[2] = ori(t2, t2, patched_address & 0xFFFF);
    return p;
}

// Instruction pairs the threaded interpreter runs as superinstructions (superinstructions.inc),
// including a branch into the middle of a pair and pairs split by the budget.
Program superinstruction_pairs()
{
    Program p{"superinstruction_pairs", {}};
    auto& c = p.code;
    load_constant(c, t2, data_address);    // LUI ORI
    c.push_back(addiu(s0, zero, 300));
    c.push_back(sll(t3, s0, 2));            // loop: SLL ADDU
    c.push_back(addu(t3, t3, t2));          // ADDU LW
    c.push_back(lw(t1, 0, t3));             // LW ADDIU
    c.push_back(addiu(t1, t1, 3));          // ADDIU SW
    c.push_back(sw(t1, 0, t3));
    c.push_back(addu(t0, t0, t1));
    c.push_back(slt(at, t0, s0));           // SLT BEQ
    c.push_back(beq(at, zero, 2));
    c.push_back(addiu(s1, s1, 1));
    c.push_back(addiu(s1, s1, 1000));       // skipped when taken
    c.push_back(lui(a0, 1));                // LUI ADDIU, entered in the middle below
    c.push_back(addiu(a0, a0, 5));
    c.push_back(addu(a1, a1, a0));
    c.push_back(addiu(s0, s0, -1));         // ADDIU BNE
    c.push_back(bne(s0, zero, -15));
    c.push_back(nop());
    c.push_back(bne(v1, zero, 4));          // the second time: to the end
    c.push_back(nop());
    c.push_back(addiu(v1, zero, 1));
    c.push_back(beq(zero, zero, -9));       // into the ADDIU of the LUI ADDIU pair
    c.push_back(addiu(s0, s0, 1));
    exit_program(c);
    return p;
}

std::vector<Program> all_programs()
{
    std::vector<Program> programs = {counting_loop(), calls(),        likely_and_link(),      system_calls_and_counter(),
                                     page_crossing(), self_modifying(), superinstruction_pairs()};
    for (Program& p : faulting_programs())
        programs.push_back(std::move(p));
    return programs;
}

struct Outcome {
    std::vector<Stop> stops;
    std::vector<uint8_t> data;
    uint64_t run_by_reference = 0; // for the threaded engine
};

Outcome run_under(engines::EngineKind kind, const Program& program, uint64_t budget)
{
    Machine machine(kind, program.code, program.entry, program.load_address);
    machine.space.map_anonymous(0x00400000, 0x1000, memory::ProtectionRead);
    Outcome outcome;
    outcome.stops = run_program(machine, budget, 200'000);
    outcome.data.resize(data_size);
    machine.space.copy_from_guest(outcome.data.data(), data_address, data_size);
    if (auto* threaded = dynamic_cast<engines::ThreadedEngine*>(machine.engine.get()))
        outcome.run_by_reference = threaded->instructions_run_by_reference();
    return outcome;
}

class Lockstep : public testing::TestWithParam<uint64_t> {};

TEST_P(Lockstep, ThreadedMatchesReference)
{
    uint64_t budget = GetParam();
    for (const Program& program : all_programs()) {
        SCOPED_TRACE(program.name);
        Outcome reference = run_under(engines::EngineKind::Interpreter, program, budget);
        Outcome threaded = run_under(engines::EngineKind::Threaded, program, budget);
        ASSERT_EQ(reference.stops.size(), threaded.stops.size());
        for (size_t index = 0; index < reference.stops.size(); ++index) {
            const Stop& expected = reference.stops[index];
            const Stop& actual = threaded.stops[index];
            ASSERT_TRUE(same_exit(expected.exit, actual.exit) && same_state(expected.state, actual.state))
                << "stop " << index << "\n  reference: " << expected << "\n  threaded:  " << actual;
        }
        EXPECT_EQ(reference.data, threaded.data);
    }
}

// A budget smaller than the next run of decoded code (up to the next branch's delay slot) is left
// to the reference interpreter; the others stop decoded code at its budget checks, in every kind
// of place in these programs.
INSTANTIATE_TEST_SUITE_P(Budgets, Lockstep,
                         testing::Values(1, 2, 3, 5, 17, 100, 1024, 1025, 1026, 1500, 2049, 3333, 5000, UINT64_MAX));

// The programs must do what they say, or the lockstep comparison proves little.
TEST(LockstepPrograms, EndAsIntended)
{
    auto last = [](const Program& program) {
        Outcome outcome = run_under(engines::EngineKind::Threaded, program, UINT64_MAX);
        return outcome.stops.back();
    };
    // Decoded code runs everything here; a page-end branch goes to the reference interpreter.
    EXPECT_EQ(run_under(engines::EngineKind::Threaded, counting_loop(), UINT64_MAX).run_by_reference, 0u);
    EXPECT_EQ(run_under(engines::EngineKind::Threaded, calls(), UINT64_MAX).run_by_reference, 0u);
    EXPECT_EQ(run_under(engines::EngineKind::Threaded, page_crossing(), UINT64_MAX).run_by_reference, 2u * 4);

    Stop loop = last(counting_loop());
    EXPECT_EQ(loop.exit.kind, cpu::ExitKind::Syscall);
    EXPECT_EQ(loop.state.gpr[t1], 2000u * 2001 / 2);

    Stop call = last(calls());
    // sum over s0 = 300..1 of (4 * s0 + 1) + (4 * (s0 + 7) + 1)
    EXPECT_EQ(call.state.gpr[s1], 8u * (300 * 301 / 2) + 30 * 300);

    Stop pairs = last(superinstruction_pairs());
    EXPECT_EQ(pairs.exit.kind, cpu::ExitKind::Syscall);
    // 300 rounds add 0x10005 each; entered at its second instruction the pair adds 5 more.
    EXPECT_EQ(pairs.state.gpr[a1], 300u * 0x10005 + 0x1000A);
    {
        Machine machine(engines::EngineKind::Threaded, superinstruction_pairs().code);
        run_program(machine, UINT64_MAX);
        auto& engine = dynamic_cast<engines::ThreadedEngine&>(*machine.engine);
        EXPECT_GE(engine.code_cache().statistics().superinstructions, 7u);
    }

    Stop smc = last(self_modifying());
    EXPECT_EQ(smc.exit.kind, cpu::ExitKind::Syscall);
    // Three passes run the freshly written addiu s1, s1, 1000 + pass; the last target adds 7.
    EXPECT_EQ(smc.state.gpr[s1], 1000u + 1001 + 1002 + 7);

    for (const Program& program : faulting_programs()) {
        Stop stop = last(program);
        if (program.name == "syscall_in_delay_slot") {
            EXPECT_TRUE(stop.exit.delay_slot) << program.name;
            continue;
        }
        EXPECT_NE(stop.exit.kind, cpu::ExitKind::Syscall) << program.name << " should stop with an exception";
    }
}

} // namespace

} // namespace isomorph::test
