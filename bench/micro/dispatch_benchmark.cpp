// Dispatch: each engine runs the same small guest loop (a load, arithmetic, a store and a branch
// per iteration), already decoded or translated after the first run, so what is measured is how
// fast the engine goes from one guest instruction to the next.

#include "threaded_test_program.h"

#include <benchmark/benchmark.h>

namespace isomorph::bench {

namespace {

using namespace test::mips;

constexpr unsigned zero = 0, v0 = 2, t0 = 8, t1 = 9, t2 = 10, t3 = 11, s0 = 16;
constexpr int32_t loop_iterations = 10000;

// t2 += data[0] ^ counter, stored to data[1], for loop_iterations iterations; then the exit
// system call.
std::vector<uint32_t> loop_program()
{
    std::vector<uint32_t> code;
    code.push_back(addiu(t0, zero, loop_iterations));
    load_constant(code, s0, test::data_address);
    code.push_back(lw(t1, 0, s0));      // loop:
    code.push_back(xor_(t3, t1, t0));
    code.push_back(addu(t2, t2, t3));
    code.push_back(sw(t2, 4, s0));
    code.push_back(addiu(t0, t0, -1));
    code.push_back(bne(t0, zero, -6));  //   back to loop
    code.push_back(nop());              //   delay slot
    code.push_back(addiu(v0, zero, test::exit_syscall));
    code.push_back(syscall());
    return code;
}

void dispatch_loop(benchmark::State& state, engines::EngineKind kind)
{
    test::Machine machine(kind, loop_program());
    uint64_t retired = 0;
    for (auto _ : state) {
        machine.cpu = cpu::CpuState{};
        machine.cpu.jump_to(test::code_address);
        cpu::Exit exit = machine.engine->run(machine.cpu, uint64_t{1} << 40);
        if (exit.kind != cpu::ExitKind::Syscall) {
            state.SkipWithError("the loop did not end with its exit system call");
            break;
        }
        retired += machine.cpu.instructions_retired;
    }
    // Items are guest instructions: items per second is the engine's guest MIPS on this loop.
    state.SetItemsProcessed(static_cast<int64_t>(retired));
}

BENCHMARK_CAPTURE(dispatch_loop, interp, engines::EngineKind::Interpreter);
BENCHMARK_CAPTURE(dispatch_loop, threaded, engines::EngineKind::Threaded);
BENCHMARK_CAPTURE(dispatch_loop, jit, engines::EngineKind::Jit);

} // namespace

} // namespace isomorph::bench
